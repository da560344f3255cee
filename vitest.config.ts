import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/helpers/sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Generates the RSA keys the tests' emulators share (test/helpers/test-keys.ts).
    globalSetup: ['test/helpers/global-setup.ts'],
    // Browser suites start Chromium and servers; two cores are all CI has.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
  },
});

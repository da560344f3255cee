/**
 * The order test files start in. Vitest's own starts the slowest first when its results cache
 * has durations, and the largest files first when it has none, as on CI's clean clone. The fault
 * matrix is a small file that generates 50 cases (about a minute): by size it started last and
 * ran alone while the other worker had nothing left, a minute of CI for nothing. Files named
 * here start first, in this order; the rest keep Vitest's order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIRST = ['test/hardening/matrix.test.ts'];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) =>
      FIRST.findIndex((name) => f.moduleId.replaceAll('\\', '/').endsWith(name));
    const first = sorted.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b));
    return [...first, ...sorted.filter((f) => rank(f) < 0)];
  }
}

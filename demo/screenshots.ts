/**
 * Regenerates the README's screenshots from the real demo page in headless Chromium:
 * `npx tsx demo/screenshots.ts`. Test card only; nothing else is typed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/helpers/browser.ts';
import { launchDemo } from './launch.ts';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
const dataDir = await mkdtemp(join(tmpdir(), 'demo-shots-'));
const demo = await launchDemo({
  env: { ...process.env, PORT: '0', EMULATOR_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${demo.url}/`);
  const number = page.frameLocator('[data-cc-field=number] iframe').locator('input[name=number]');
  await number.pressSequentially('4111111111111111');
  await page
    .frameLocator('[data-cc-field=securityCode] iframe')
    .locator('input[name=securityCode]')
    .pressSequentially('123');
  await page.getByLabel(/expiry/i).fill('12/31');
  await page.getByLabel(/name on card/i).fill('Jane Doe');
  await page.getByLabel(/email/i).fill('jane@example.com');
  await page.screenshot({ path: join(OUT, 'demo-checkout.png') });
  await page.getByRole('button', { name: /^pay/i }).click();
  await page.locator('.cc-done').waitFor();
  await page.locator('#payments tr').first().waitFor();
  await page.screenshot({ path: join(OUT, 'demo-paid.png') });
} finally {
  await browser.close();
  await demo.close();
  await rm(dataDir, { recursive: true, force: true });
}

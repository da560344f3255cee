/**
 * Drives CyberSource's express-microform sample (running on http://localhost:3000) in headless
 * Chromium through its whole journey: /checkout (type a card into the emulated Microform,
 * Pay) → /token (shows the transient token) → /receipt (the sample's SDK pays with it).
 * Prints what each page showed; exits 1 when a step fails.
 *
 * Usage: npx tsx emulator/microform/sample-check/drive.ts
 */
import { launchChromium } from '../../../test/helpers/browser.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const browser = await launchChromium();
const page = await browser.newPage();
const problems: string[] = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
let ok = false;
try {
  await page.goto('http://localhost:3000/checkout');
  const number = page.frameLocator('#number-container iframe').locator('input[name=number]');
  const cvn = page
    .frameLocator('#securityCode-container iframe')
    .locator('input[name=securityCode]');
  await number.waitFor({ timeout: 15_000 });
  await number.pressSequentially('4111111111111111');
  await cvn.pressSequentially('123');
  out(`number field shows: ${await number.inputValue()}`);
  out(`container classes: ${await page.locator('#number-container').getAttribute('class')}`);
  await page.selectOption('#expMonth', '12');
  await page.selectOption('#expYear', '2031');
  await Promise.all([page.waitForURL('**/token', { timeout: 15_000 }), page.click('#pay-button')]);
  const token = ((await page.locator('td').nth(1).textContent()) ?? '').trim();
  out(`/token shows a ${token.length}-character token: ${token.slice(0, 40)}…`);
  await Promise.all([
    page.waitForURL('**/receipt', { timeout: 15_000 }),
    page.click('#pay-button'),
  ]);
  const receipt: unknown = JSON.parse(
    ((await page.locator('td').nth(1).textContent()) ?? '').trim(),
  );
  out(`/receipt payment: ${JSON.stringify(receipt).slice(0, 300)}`);
  ok =
    typeof receipt === 'object' &&
    receipt !== null &&
    'status' in receipt &&
    receipt.status === 'AUTHORIZED';
} catch (err) {
  problems.push(err instanceof Error ? err.message : String(err));
} finally {
  await browser.close();
}
for (const p of problems) out(p);
out(ok ? 'SAMPLE CHECK PASSED' : 'SAMPLE CHECK FAILED');
process.exit(ok ? 0 : 1);

/**
 * @module The Luhn (mod 10) check used by every seed network (Microform 0.11 sets `luhn: true`
 * on each of its eight networks; the emulator keeps Luhn on for the other seven too).
 */

function luhnSum(digits: string, doubleEven: boolean): number {
  let sum = 0;
  for (let i = digits.length - 1, pos = 0; i >= 0; i -= 1, pos += 1) {
    let d = digits.charCodeAt(i) - 48;
    if ((pos % 2 === 1) !== doubleEven) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/** True when `digits` (digits only, at least one) passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  return luhnSum(digits, false) % 10 === 0;
}

/** The digit to append to `partial` to make it Luhn-valid (for building test numbers). */
export function luhnCheckDigit(partial: string): string {
  if (!/^\d*$/.test(partial)) throw new TypeError('luhnCheckDigit expects digits only');
  return String((10 - (luhnSum(partial, true) % 10)) % 10);
}

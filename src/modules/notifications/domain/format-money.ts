/**
 * Formats an amount held in minor units (cents, pence, yen) for a customer. The number of minor
 * digits comes from the currency itself (ISO 4217 via Intl): 1234 EUR is €12.34, 1234 JPY ¥1,234.
 * Integer arithmetic before the division keeps large amounts exact.
 */
export function formatMinor(amountMinor: number, currency: string, locale = 'en-GB'): string {
  if (!Number.isSafeInteger(amountMinor))
    throw new RangeError(`Not a minor amount: ${amountMinor}`);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const sign = amountMinor < 0 ? '-' : '';
  const abs = BigInt(Math.abs(amountMinor));
  const scale = 10n ** BigInt(digits);
  const major = `${abs / scale}${digits > 0 ? `.${String(abs % scale).padStart(digits, '0')}` : ''}`;
  // Intl accepts a decimal string exactly (no float rounding) on Node 20+.
  return format.format(`${sign}${major}` as `${number}`);
}

/** Masks a phone number for display and events: keeps the first 3 and last 2 digits. */
export function maskPhone(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 6) return "+" + "*".repeat(digits.length);
  return `+${digits.slice(0, 3)}${"*".repeat(digits.length - 5)}${digits.slice(-2)}`;
}

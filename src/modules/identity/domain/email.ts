/** Emails are compared case-insensitively and stored lower-case, without surrounding space. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

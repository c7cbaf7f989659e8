const SECRET_FIELD =
  /^(?:cookies\.|headers\.(?:authorization|proxy-authorization|cookie|x-api-key|x-csrf-token|apca-api-\w+))|(?:^|[._-])(?:password|passwd|secret|token|api[_-]?key|totp|otp|session)(?:$|[._\-[])/i;
const MAX = 80;

/** True when a field may hold a credential: its matched data is never reported. */
export function isSecretField(field: string): boolean {
  return SECRET_FIELD.test(field);
}

/** Makes matched data safe to log: secrets become `[redacted]`, control characters are escaped, length is capped. */
export function redact(field: string, matched: string): string {
  if (isSecretField(field)) return `[redacted ${matched.length} chars]`;
  const printable = matched.replace(
    /[\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return printable.length > MAX ? `${printable.slice(0, MAX)}…` : printable;
}

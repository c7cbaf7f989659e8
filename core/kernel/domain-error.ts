/** An expected failure with a stable catalog code (see contracts/errors.ts); the HTTP layer maps it. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

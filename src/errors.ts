/**
 * An error the user can fix (bad flag, bad file, missing device). The CLI prints its message as one line,
 * never a stack trace. Say what was wrong, where (file, line, key, port), and what would be right.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** A readable one-line description of anything thrown. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

// A failure the operator can act on, worded for them: the launchers print its message (and any detail lines,
// such as the end of the database's log) as is, without a stack trace, and exit non-zero.
export class StartupError extends Error {
  constructor(
    message: string,
    readonly detail: string[] = [],
  ) {
    super(message);
    this.name = "StartupError";
  }
}

export const errorCode = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

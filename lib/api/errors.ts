// Expected errors carry a code, an HTTP status and a message a person can act on; anything else is a 500 whose
// details go to the log only.
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly field?: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const unauthenticated = () => new AppError("unauthenticated", "Log in or send a valid API token.", 401);
export const forbidden = (needed: string) =>
  new AppError("forbidden", `This needs the ${needed} role; ask an admin to grant it.`, 403);
export const notFound = (what: string) => new AppError("not_found", `${what} not found.`, 404);

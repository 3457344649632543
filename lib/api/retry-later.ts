import { AppError } from "./errors";

// An expected refusal the client may retry after a while (throttled login, every password-hash slot busy);
// errorResponse turns retryAfterSeconds into a Retry-After header.
export class RetryLaterError extends AppError {
  constructor(
    code: string,
    message: string,
    status: 429 | 503,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, status);
    this.name = "RetryLaterError";
  }
}

import pino, { type DestinationStream, type Logger } from "pino";
import { config } from "./config";
import { redactSecrets } from "./redact-secrets";

// pino: structured JSON logs. Every record and every child's bindings pass through redactSecrets, which masks
// secret-named keys (password, privateKey, token, cookie, …) at any depth, inside arrays and Errors too, so a
// secret that slips into a log call is written as "[redacted]". Errors are shaped there as well, so pino's own
// err serializer is replaced by the identity (it would re-read the original Error's properties).
export function createLogger(destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel(),
    base: { app: "daxboard" },
    formatters: { log: (record) => redactSecrets(record) as Record<string, unknown> },
    serializers: { err: (err: unknown) => err },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino gives child bindings no formatter of ours; children inherit this method, grandchildren included.
  const child = logger.child;
  function redactingChild(this: Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions): Logger {
    return Reflect.apply(child, this, [redactSecrets(bindings), childOptions]) as Logger;
  }
  // Same call signature; only pino's custom-levels generic does not carry through the wrapper.
  logger.child = redactingChild as unknown as Logger["child"];
  return logger;
}

export const log = createLogger();

import pino from "pino";
import { config } from "./config";

// pino: structured JSON logs with path-based redaction, so a secret that slips into a log call is masked
// instead of written. Keys listed here are never logged in clear.
export const log = pino({
  level: config.logLevel(),
  redact: {
    paths: [
      "password",
      "passphrase",
      "privateKey",
      "*.password",
      "*.passphrase",
      "*.privateKey",
      "auth.*",
      "*.auth.*",
      "token",
      "*.token",
      "headers.authorization",
      "headers.cookie",
    ],
    censor: "[redacted]",
  },
  base: { app: "daxboard" },
});

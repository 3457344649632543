import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";
import { isSecretKey, redactSecrets } from "@/lib/redact-secrets";

// A pino destination that keeps every line written to it.
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(stream), text: () => lines.join("\n"), records: () => lines.map((l) => JSON.parse(l)) };
}

// One distinct value per key, so a leak names the key that leaked.
const SECRET_KEYS = [
  "passwordHash",
  "ciphertext",
  "secret",
  "privateKey",
  "passphrase",
  "password",
  "token",
  "authorization",
  "cookie",
  "authTag",
  "iv",
  "PASSWORD",
  "jump_private_key",
  "Set-Cookie",
  "apiKey",
  "newPassword",
  "secretKey",
];
const valueFor = (key: string) => `leak-${key.toLowerCase().replace(/[^a-z]/g, "")}-${key.length}x`;
const secrets = () => Object.fromEntries(SECRET_KEYS.map((k) => [k, valueFor(k)]));

class SshAuthError extends Error {
  constructor(
    message: string,
    readonly password: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

describe("log redaction", () => {
  it("masks every secret-named key at any depth, in arrays, Errors, causes and child bindings", () => {
    const { logger, text, records } = capture();
    const cause = Object.assign(new Error("inner"), { privateKey: valueFor("privateKey"), nested: [{ ...secrets() }] });
    const err = new SshAuthError("auth failed", valueFor("password"), { deep: { deeper: secrets() } });
    (err as Error & { cause?: unknown }).cause = cause;
    const record: Record<string, unknown> & { level1: Record<string, unknown> } = {
      host: "altra-rack3-07",
      level1: {
        ...secrets(),
        level2: [
          { level3: { level4: { level5: { level6: { ...secrets(), keep: "visible-6" } } } } },
          [[{ ...secrets() }]],
        ],
      },
      headers: { Authorization: `Bearer ${valueFor("authorization")}`, cookie: valueFor("cookie") },
      errors: [err, new AggregateError([Object.assign(new Error("one"), secrets())], "many")],
      err,
    };
    logger.child({ token: valueFor("token"), requestId: "req-1" }).error(record, "scan failed");
    logger.error(Object.assign(new Error("top"), secrets()));

    const out = text();
    for (const key of SECRET_KEYS) expect(out, key).not.toContain(valueFor(key));
    expect(out).not.toContain("leak-");
    const [first, second] = records();
    expect(first.host).toBe("altra-rack3-07");
    expect(first.requestId).toBe("req-1");
    expect(first.token).toBe("[redacted]");
    expect(first.level1.level2[0].level3.level4.level5.level6.keep).toBe("visible-6");
    expect(first.level1.level2[0].level3.level4.level5.level6.passwordHash).toBe("[redacted]");
    expect(first.err).toMatchObject({ type: "SshAuthError", message: "auth failed", password: "[redacted]" });
    expect(first.err.stack).toContain("auth failed");
    expect(first.err.cause).toMatchObject({ message: "inner", privateKey: "[redacted]" });
    expect(second).toMatchObject({ msg: "top", err: { type: "Error", message: "top", password: "[redacted]" } });
    // The caller's objects are left as they were.
    expect(record.level1.password).toBe(valueFor("password"));
    expect(err.password).toBe(valueFor("password"));
  });

  it("survives cycles, very deep nesting, huge arrays and binary data, with bounded output", () => {
    const { logger, records } = capture();
    const cyclic: Record<string, unknown> = { name: "loop", password: "leak-cyclic" };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { password: "leak-deepest" };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const huge = Array.from({ length: 200_000 }, (_, i) => ({ i, token: `leak-huge-${i}` }));
    logger.info({ cyclic, key: Buffer.from("0123456789abcdef"), blob: new Uint8Array(64), deep, huge }, "stress");

    const [record] = records();
    expect(record.cyclic).toEqual({ name: "loop", password: "[redacted]", self: "[Circular]" });
    expect(JSON.stringify(record)).not.toContain("leak-");
    expect(JSON.stringify(record)).toContain("[depth limit]");
    expect(JSON.stringify(record).length).toBeLessThan(500_000);
    expect(record.blob).toBe("[binary 64 bytes]");
    expect(record.key).toBe("[redacted]");
    expect(record.huge.at(-1)).toMatch(/^\[\d+ more items\]$/);
  });

  it("matches keys case- and separator-insensitively without masking ordinary ones", () => {
    for (const key of SECRET_KEYS) expect(isSecretKey(key), key).toBe(true);
    for (const key of ["host", "address", "port", "scanId", "privileged", "fingerprint", "username", "msg"]) {
      expect(isSecretKey(key), key).toBe(false);
    }
    expect(redactSecrets({ a: [{ b: { IV: "x", Auth_Tag: "y", ok: 1 } }] })).toEqual({
      a: [{ b: { IV: "[redacted]", Auth_Tag: "[redacted]", ok: 1 } }],
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { closeDb } from "@/lib/db";
import { checkKeyOffThread } from "@/lib/ssh/check-key-off-thread";
import { call, resetDatabase, tokenFor } from "../support/api";
import { encryptedKey } from "../support/hostile-keys";

// An encrypted key's bcrypt KDF runs in a worker thread, so registering one does not stall the web process.
let operator: string;
const key16 = encryptedKey(16, "right passphrase");
const key100 = encryptedKey(100, "right passphrase");

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
});
afterAll(closeDb);

let nextAddress = 1;
const body = (name: string, privateKey: string, passphrase?: string) => ({
  name,
  address: `10.8.8.${nextAddress++}`,
  username: "probe",
  auth: { type: "key", privateKey, ...(passphrase !== undefined ? { passphrase } : {}) },
});

describe("encrypted keys are decrypted off the request thread", () => {
  it("registers with the right passphrase and names the field for a wrong or missing one", async () => {
    expect((await call(createHost, { body: body("enc-ok", key16, "right passphrase"), token: operator })).status).toBe(
      201,
    );
    const wrong = await call(createHost, { body: body("enc-wrong", key16, "wrong one"), token: operator });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.field).toBe("auth.passphrase");
    const missing = await call(createHost, { body: body("enc-missing", key16), token: operator });
    expect(missing.status).toBe(422);
    expect(missing.json.error.field).toBe("auth.passphrase");
  });

  it("keeps the event loop turning while a 100-round key is decrypted", async () => {
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const res = await call(createHost, { body: body("enc-100", key100, "right passphrase"), token: operator });
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(res.status).toBe(201);
    // Decrypting on this thread would stall it for (nearly) the whole request; off-thread it keeps ticking.
    expect(longestGap).toBeLessThan(took / 2);
  });

  it("gives up on a key that takes too long, and refuses more work than it can queue", async () => {
    const slow = await checkKeyOffThread(key100, "right passphrase", 20);
    expect(slow).toMatchObject({ ok: false, timedOut: true });
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, () => checkKeyOffThread(key16, "right passphrase")),
    );
    const busy = results.filter((r) => r.status === "rejected");
    expect(busy.length).toBeGreaterThanOrEqual(2);
    expect(String((busy[0] as PromiseRejectedResult).reason.message)).toMatch(/busy decrypting other keys/);
    expect(
      results
        .filter((r) => r.status === "fulfilled")
        .every((r) => (r as PromiseFulfilledResult<{ ok: boolean }>).value.ok),
    ).toBe(true);
  });
});

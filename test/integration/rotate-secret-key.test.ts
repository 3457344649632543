import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db";
import { open, seal } from "@/lib/crypto/secret-box";
import { resetDatabase } from "../support/api";

// `npm run secret:rotate` end to end: a real process re-seals the test database's credentials with a new key.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-rotate-"));
const oldKey = crypto.randomBytes(32);

function rotate(extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DAXBOARD_DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_URL!,
    ...extraEnv,
  };
  delete env.DAXBOARD_SECRET_KEY;
  if (extraEnv.DAXBOARD_SECRET_KEY) env.DAXBOARD_SECRET_KEY = extraEnv.DAXBOARD_SECRET_KEY;
  return spawnSync(process.execPath, ["--import", "tsx", "lib/cli/rotate-secret-key.ts"], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
}

const WEBHOOK_AAD = "daxboard-webhook-secret-v1";

async function sealedRows(key: Buffer, secrets: string[]) {
  for (const secret of secrets) {
    const s = seal(JSON.stringify({ password: secret }), key);
    await getDb().credential.create({
      data: {
        kind: "password",
        ciphertext: new Uint8Array(s.ciphertext),
        iv: new Uint8Array(s.iv),
        authTag: new Uint8Array(s.authTag),
      },
    });
  }
}

async function openAll(key: Buffer): Promise<string[]> {
  const rows = await getDb().credential.findMany({
    orderBy: { createdAt: "asc" },
    select: { ciphertext: true, iv: true, authTag: true },
  });
  return rows.map(
    (r) =>
      JSON.parse(
        open({ ciphertext: Buffer.from(r.ciphertext), iv: Buffer.from(r.iv), authTag: Buffer.from(r.authTag) }, key),
      ).password,
  );
}

const keyFile = () => Buffer.from(fs.readFileSync(path.join(dataDir, "secret.key"), "utf8").trim(), "hex");

beforeAll(async () => {
  await resetDatabase();
  fs.writeFileSync(path.join(dataDir, "secret.key"), oldKey.toString("hex") + "\n", { mode: 0o600 });
});

afterAll(async () => {
  await closeDb();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("secret:rotate", () => {
  it("re-seals every credential with a new key file and leaves no secret readable with the old key", async () => {
    await sealedRows(oldKey, ["first secret", "second secret", "third secret"]);
    // A webhook signing secret moves with them (its own AAD).
    const hook = seal("hook secret", oldKey, WEBHOOK_AAD);
    await getDb().webhook.create({
      data: {
        name: "chat",
        url: "http://127.0.0.1:9/hook",
        secretCiphertext: new Uint8Array(hook.ciphertext),
        secretIv: new Uint8Array(hook.iv),
        secretAuthTag: new Uint8Array(hook.authTag),
      },
    });
    const run = rotate();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/3 credential\(s\) and 1 webhook secret\(s\) re-sealed \(key version 2\)/);
    expect(run.stdout + run.stderr).not.toMatch(/first secret/);
    const newKey = keyFile();
    expect(newKey.equals(oldKey)).toBe(false);
    expect(fs.statSync(path.join(dataDir, "secret.key")).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dataDir, "secret.key.next"))).toBe(false);
    expect(await openAll(newKey)).toEqual(["first secret", "second secret", "third secret"]);
    await expect(openAll(oldKey)).rejects.toThrow();
    const row = await getDb().webhook.findFirstOrThrow({
      select: { secretCiphertext: true, secretIv: true, secretAuthTag: true },
    });
    const sealed = {
      ciphertext: Buffer.from(row.secretCiphertext!),
      iv: Buffer.from(row.secretIv!),
      authTag: Buffer.from(row.secretAuthTag!),
    };
    expect(open(sealed, newKey, WEBHOOK_AAD)).toBe("hook secret");
    expect(() => open(sealed, oldKey, WEBHOOK_AAD)).toThrow();
    await getDb().webhook.deleteMany(); // the next tests start from other keys
  });

  it("changes nothing when one credential does not open with the current key", async () => {
    const current = keyFile();
    await sealedRows(crypto.randomBytes(32), ["sealed elsewhere"]);
    const sealedColumns = { id: true, ciphertext: true, iv: true, authTag: true, keyVersion: true } as const;
    const before = await getDb().credential.findMany({ orderBy: { id: "asc" }, select: sealedColumns });
    const run = rotate();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/does not open with the current key; nothing was changed/);
    expect(keyFile().equals(current)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, "secret.key.next"))).toBe(false);
    expect(await getDb().credential.findMany({ orderBy: { id: "asc" }, select: sealedColumns })).toEqual(before);
  });

  it("with DAXBOARD_SECRET_KEY set, takes the new key from DAXBOARD_NEW_SECRET_KEY and never prints it", async () => {
    await getDb().credential.deleteMany({});
    const envOld = crypto.randomBytes(32);
    const envNew = crypto.randomBytes(32);
    await sealedRows(envOld, ["env secret"]);
    const refused = rotate({ DAXBOARD_SECRET_KEY: envOld.toString("hex") });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/set DAXBOARD_NEW_SECRET_KEY/);
    const run = rotate({
      DAXBOARD_SECRET_KEY: envOld.toString("hex"),
      DAXBOARD_NEW_SECRET_KEY: envNew.toString("hex"),
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(envNew.toString("hex"));
    expect(await openAll(envNew)).toEqual(["env secret"]);
  });
});

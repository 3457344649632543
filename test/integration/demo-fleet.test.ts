import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db";
import { DEMO_EMAIL, registerDemoFleet } from "@/lib/demo/register-demo-fleet";
import { resetDatabase } from "../support/api";
import { DEMO_FLEET } from "../support/sim-documents";
import { generateKeyPair } from "../support/sim-keys";

beforeAll(resetDatabase);
afterAll(closeDb);

describe("npm run demo's fleet", () => {
  it("has at least 24 arm64 hosts from the captures plus labelled hostile ones", () => {
    const hostile = DEMO_FLEET.filter((p) => p.behaviour);
    const arm64 = DEMO_FLEET.filter((p) => !p.behaviour && !p.capture.startsWith("x86"));
    expect(arm64.length).toBeGreaterThanOrEqual(24);
    expect(hostile.every((p) => p.name.startsWith("hostile-") && p.tags.includes("hostile"))).toBe(true);
  });

  it("registers once: a second run finds the same hosts and user instead of duplicating them", async () => {
    const key = generateKeyPair().privateKey;
    const first = await registerDemoFleet({ clientPrivateKey: key, firstPort: 52200 });
    const second = await registerDemoFleet({ clientPrivateKey: key, firstPort: 52200 });
    expect(second).toEqual(first);
    expect(await getDb().host.count()).toBe(DEMO_FLEET.length);
    expect(await getDb().user.count({ where: { email: DEMO_EMAIL } })).toBe(1);
  });
});

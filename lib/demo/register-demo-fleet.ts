import { getDb } from "../db";
import { systemActor } from "../auth/roles";
import { registerHost } from "../hosts/register-host";
import { createUser } from "../users/manage-users";
import { DEMO_FLEET } from "../../test/support/sim-documents";

export const DEMO_EMAIL = "demo@daxboard.local";
export const DEMO_PASSWORD = "daxboard-demo";

// Registers the simulated fleet once: hosts are found by name on later runs, never duplicated. The demo user
// is created only if missing.
export async function registerDemoFleet(opts: { clientPrivateKey: string; firstPort: number }): Promise<string[]> {
  if (!(await getDb().user.findUnique({ where: { email: DEMO_EMAIL } }))) {
    await createUser(systemActor("demo"), {
      email: DEMO_EMAIL,
      displayName: "Demo admin",
      password: DEMO_PASSWORD,
      role: "admin",
    });
  }
  const actor = systemActor("demo");
  const ids: string[] = [];
  for (const [i, profile] of DEMO_FLEET.entries()) {
    const found = await getDb().host.findUnique({ where: { name: profile.name }, select: { id: true } });
    if (found) {
      ids.push(found.id);
      continue;
    }
    const host = await registerHost(actor, {
      name: profile.name,
      address: "127.0.0.1",
      port: opts.firstPort + i,
      username: "daxboard",
      auth: { type: "key", privateKey: opts.clientPrivateKey },
      tags: ["demo", ...profile.tags],
      notes: `Simulated host built from the real capture "${profile.capture}"; stack and platform sections not captured there are synthetic.`,
    });
    ids.push(host.id);
  }
  return ids;
}

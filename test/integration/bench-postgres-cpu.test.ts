import fs from "node:fs";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { postgresCpuSeconds } from "../bench/scan10k-support";
import { waitFor } from "../support/worker-process";

// The scan benches report PostgreSQL's CPU per scan from /proc (test/bench/scan10k-support.ts): every postgres
// process's own time, plus, for the postmaster, the time of the backends it has reaped. A backend whose
// connection closed during a round must still count, or the figure drops whenever the pool lets one go.
const clients: pg.Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
});

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  clients.push(client);
  return client;
}

// About a second of one core on these machines; the assertions ask for a third of that.
const burn = (client: pg.Client) => client.query("select sum(i) from generate_series(1, 12000000) i");

describe("the benches' PostgreSQL CPU reading", () => {
  it("counts what a connected backend spends", async () => {
    const client = await connect();
    const before = postgresCpuSeconds();
    await burn(client);
    expect(postgresCpuSeconds() - before).toBeGreaterThan(0.3);
  });

  it("still counts it after the backend has ended", async () => {
    const client = await connect();
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    const before = postgresCpuSeconds();
    await burn(client);
    await client.end();
    // Gone from /proc once the postmaster has reaped it (a zombie still has its entry): its time is then the
    // postmaster's children's time.
    await waitFor(() => !fs.existsSync(`/proc/${rows[0]!.pid}`), 30_000, "the backend to be reaped");
    expect(postgresCpuSeconds() - before).toBeGreaterThan(0.3);
  });
});

// npm run bench : every benchmark, each in its own process (so RSS figures are its own), in a fixed order.
// Each prints human lines and machine-readable `bench <name> <value> <unit>` lines; ratios are against
// baselines measured in the same run. BENCH_ONLY=scan,fleet picks some.
import { spawnSync } from "node:child_process";

const ALL = ["assess", "scan", "scan10k", "fleet", "metrics", "ui"];
const only = process.env.BENCH_ONLY?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const selected = ALL.filter((name) => !only || only.includes(name));
let failed = 0;
for (const name of selected) {
  process.stdout.write(`\n== bench ${name}\n`);
  const res = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", `test/bench/${name}.ts`], {
    stdio: "inherit",
    env: process.env,
  });
  if (res.status !== 0) {
    failed++;
    process.stdout.write(`bench ${name} failed (exit ${res.status})\n`);
  }
}
process.exit(failed ? 1 : 0);

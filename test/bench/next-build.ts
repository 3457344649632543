// The UI bench times the production build, so `npm run bench` makes one when there is none or when the sources
// changed since the last one (a stale build would time old code). `next build` has no such check of its own.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// What the build is made from: a change to any of these makes the build stale.
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "next.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "postcss.config.mjs",
  "proxy.ts",
  "instrumentation.ts",
];

// The newest file under `entry` (a file or a directory), or null when it does not exist.
function newest(entry: string): { file: string; mtimeMs: number } | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return null;
  }
  if (!stat.isDirectory()) return { file: entry, mtimeMs: stat.mtimeMs };
  let best: { file: string; mtimeMs: number } | null = null;
  for (const name of fs.readdirSync(entry)) {
    const found = newest(path.join(entry, name));
    if (found && (!best || found.mtimeMs > best.mtimeMs)) best = found;
  }
  return best;
}

// Whether `root` needs a production build, and why.
export function buildNeeded(root: string): { needed: boolean; reason: string } {
  let builtAt: number;
  try {
    builtAt = fs.statSync(path.join(root, ".next", "BUILD_ID")).mtimeMs;
  } catch {
    return { needed: true, reason: "there is no production build" };
  }
  for (const source of SOURCES) {
    const found = newest(path.join(root, source));
    if (found && found.mtimeMs > builtAt) {
      return { needed: true, reason: `${path.relative(root, found.file)} changed after the last build` };
    }
  }
  return { needed: false, reason: "the production build is newer than every source" };
}

// Runs `next build` in `root` when buildNeeded says so; throws when the build fails.
export function ensureProductionBuild(root: string): void {
  const { needed, reason } = buildNeeded(root);
  if (!needed) return;
  process.stdout.write(`ui bench: building the app first (${reason})\n`);
  const res = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (res.status !== 0) throw new Error(`next build failed (exit ${res.status})`);
}

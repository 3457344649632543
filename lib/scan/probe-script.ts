import fs from "node:fs";
import path from "node:path";
import { PROBE_SCRIPT_RELATIVE_PATH } from "../probe/constants";

let cached: string | undefined;

// The constant probe script, read once from lib/probe/probe.sh (also served at /probe.sh).
export function probeScript(): string {
  cached ??= fs.readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), PROBE_SCRIPT_RELATIVE_PATH), "utf8");
  return cached;
}

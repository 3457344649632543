import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { capturesDir, SHARED_CAPTURES_DIR } from "@/test/support/capture-document";

function files(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, path.join(prefix, name)) : [path.join(prefix, name)];
  });
}

describe("vendored captures", () => {
  it.runIf(existsSync(SHARED_CAPTURES_DIR))("are byte-identical to shared/fixtures/captures (never edited)", () => {
    const shared = files(SHARED_CAPTURES_DIR).sort();
    expect(files(capturesDir()).sort()).toEqual(shared);
    for (const f of shared) {
      expect(readFileSync(path.join(capturesDir(), f)).equals(readFileSync(path.join(SHARED_CAPTURES_DIR, f))), f).toBe(
        true,
      );
    }
  });

  it("are present in the repository", () => {
    expect(existsSync(path.join(capturesDir(), "ampere-altra-hrw", "labels.json"))).toBe(true);
  });
});

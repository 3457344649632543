import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildNeeded } from "../bench/next-build";

// `npm run bench` builds the app before the UI bench when there is no production build or the sources changed
// since the last one (test/bench/next-build.ts).
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-next-build-"));
  dirs.push(root);
  fs.mkdirSync(path.join(root, "app", "hosts"), { recursive: true });
  fs.mkdirSync(path.join(root, "lib"), { recursive: true });
  fs.writeFileSync(path.join(root, "app", "hosts", "page.tsx"), "export default 1;\n");
  fs.writeFileSync(path.join(root, "lib", "db.ts"), "export {};\n");
  fs.writeFileSync(path.join(root, "package.json"), "{}\n");
  return root;
}

const at = (file: string, seconds: number) => fs.utimesSync(file, seconds, seconds);

function build(root: string, seconds: number): void {
  fs.mkdirSync(path.join(root, ".next"), { recursive: true });
  fs.writeFileSync(path.join(root, ".next", "BUILD_ID"), "abc\n");
  at(path.join(root, ".next", "BUILD_ID"), seconds);
}

describe("whether the UI bench needs a production build first", () => {
  it("builds when there is no build", () => {
    expect(buildNeeded(project())).toEqual({ needed: true, reason: "there is no production build" });
  });

  it("keeps a build newer than every source", () => {
    const root = project();
    for (const f of ["app/hosts/page.tsx", "lib/db.ts", "package.json"]) at(path.join(root, f), 1_000);
    build(root, 2_000);
    expect(buildNeeded(root).needed).toBe(false);
  });

  it("rebuilds when a source deep in a directory changed after the build, and names it", () => {
    const root = project();
    for (const f of ["lib/db.ts", "package.json"]) at(path.join(root, f), 1_000);
    at(path.join(root, "app/hosts/page.tsx"), 3_000);
    build(root, 2_000);
    expect(buildNeeded(root)).toEqual({
      needed: true,
      reason: `${path.join("app", "hosts", "page.tsx")} changed after the last build`,
    });
  });

  it("rebuilds when a top-level file changed after the build", () => {
    const root = project();
    for (const f of ["app/hosts/page.tsx", "lib/db.ts"]) at(path.join(root, f), 1_000);
    at(path.join(root, "package.json"), 3_000);
    build(root, 2_000);
    expect(buildNeeded(root).reason).toBe("package.json changed after the last build");
  });
});

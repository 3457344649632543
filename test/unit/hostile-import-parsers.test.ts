// Bulk-import documents are up to 1 MiB of text an operator pastes: ranges that multiply, groups that nest or
// repeat, var sections and alias bombs must end quickly, in a clear error naming the line, never in a stall or an
// exhausted heap (issue 12 item 4).
import { describe, expect, it } from "vitest";
import { expandHostPattern, MAX_INVENTORY_ENTRIES, newHostBudget } from "@/lib/hosts/import/ansible-inventory";
import { ImportDocumentError, MAX_IMPORT_ROWS } from "@/lib/hosts/import/import-types";
import { parseAnsibleIni } from "@/lib/hosts/import/parse-ansible-ini";
import { parseAnsibleYaml } from "@/lib/hosts/import/parse-ansible-yaml";
import { parseCsvHosts } from "@/lib/hosts/import/parse-csv-hosts";
import { parseImportDocument } from "@/lib/hosts/import/plan-import";

const MIB = 1 << 20;

// Same yardstick as the probe parsers' test: a fixed multiple of a plain line split of the same text.
function timed<T>(text: string, run: () => T): T {
  let split = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    text.split("\n");
    split = Math.min(split, performance.now() - started);
  }
  const bound = 500 * split + 2000;
  const started = performance.now();
  const result = run();
  const took = performance.now() - started;
  expect(took, `${took.toFixed(0)} ms, bound ${bound.toFixed(0)} ms`).toBeLessThan(bound);
  return result;
}

function refusal(run: () => unknown): ImportDocumentError {
  try {
    run();
  } catch (err) {
    if (err instanceof ImportDocumentError) return err;
    throw err;
  }
  throw new Error("expected the document to be refused");
}

describe("host ranges share one budget", () => {
  it("refuses ranges that multiply across brackets before building a name, naming the line and the pattern", () => {
    const ini = "[web]\nok1\nh[0:9999][0:99].example.com ansible_user=ops\n";
    const err = timed(ini, () => refusal(() => parseAnsibleIni(ini)));
    expect(err.message).toBe(
      `line 3: "h[0:9999][0:99].example.com" names 1,000,000 hosts; import at most ${MAX_IMPORT_ROWS} at a time`,
    );
    expect(err.line).toBe(3);
    const huge = "[web]\nh[0:99999][0:99999]\n";
    expect(timed(huge, () => refusal(() => parseAnsibleIni(huge))).message).toMatch(
      /^line 2: "h\[0:99999\]\[0:99999\]" names 10,000,000,000 hosts/,
    );
    const endless = `[web]\nh${"[0:99999]".repeat(100)}\n`;
    expect(timed(endless, () => refusal(() => parseAnsibleIni(endless))).message).toMatch(/names countless hosts/);
  });

  it("counts every line and every group against the same budget", () => {
    // 20 lines of 1,000 distinct hosts: the 11th passes the row limit.
    const lines = Array.from({ length: 20 }, (_, i) => `g${i}-[000:999]`).join("\n");
    const many = `[all]\n${lines}\n`;
    expect(timed(many, () => refusal(() => parseAnsibleIni(many))).message).toBe(
      `line 12: more than ${MAX_IMPORT_ROWS} hosts by "g10-[000:999]"; import at most ${MAX_IMPORT_ROWS} at a time`,
    );
    // The same 10,000 hosts listed in group after group: the listings are what costs.
    const groups = Array.from({ length: 6 }, (_, i) => `[g${i}]\nh[0000:9999]`).join("\n");
    expect(timed(groups, () => refusal(() => parseAnsibleIni(groups))).message).toMatch(
      new RegExp(`^line 10: the inventory lists hosts more than ${MAX_INVENTORY_ENTRIES} times by "h\\[0000:9999\\]"`),
    );
    const yaml = `all:\n  children:\n${Array.from({ length: 6 }, (_, i) => `    g${i}:\n      hosts:\n        "h[0000:9999]":\n`).join("")}`;
    expect(timed(yaml, () => refusal(() => parseAnsibleYaml(yaml))).message).toMatch(
      /^line 17: the inventory lists hosts more than/,
    );
  });

  it("still expands what fits, in Ansible's order, and refuses ranges that count down or mix kinds", () => {
    expect(expandHostPattern("r[1:2]-[a:b].x")).toEqual(["r1-a.x", "r1-b.x", "r2-a.x", "r2-b.x"]);
    expect(expandHostPattern("[0:2:2][08:10]")).toEqual(["008", "009", "010", "208", "209", "210"]);
    expect(expandHostPattern("odd[x]-[1:1]")).toEqual(["odd[x]-1"]);
    expect(parseAnsibleIni("[web]\nw[0000:9999]\n")).toHaveLength(MAX_IMPORT_ROWS);
    expect(() => expandHostPattern("h[9:1]", newHostBudget(), 4)).toThrow(
      'line 4: "h[9:1]": the range [9:1] counts down; write it as [1:9]',
    );
    expect(() => expandHostPattern("h[0:z]")).toThrow(/two numbers or two letters/);
  });
});

describe("documents shaped to be slow", () => {
  it("a [group:vars] section of 1 MiB is read in linear time", () => {
    const ini = `[web]\nw1\n[web:vars]\n${"ansible_user=ops\n".repeat(MIB / 17)}`;
    const rows = timed(ini, () => parseAnsibleIni(ini));
    expect(rows).toMatchObject([{ name: "w1", username: "ops" }]);
  });

  it("large group vars are looked up per host, not copied into each of 10,000 hosts", () => {
    const vars = Array.from({ length: 40_000 }, (_, i) => `v${i}=x`).join("\n");
    const ini = `[web]\nw[0000:9999]\n[all:vars]\n${vars}\nansible_user=ops\n`;
    const rows = timed(ini, () => parseAnsibleIni(ini));
    expect(rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(rows[9999]).toMatchObject({ name: "w9999", username: "ops" });
  });

  it("a chain of 40,000 nested groups neither overflows the stack nor copies the chain into every host", () => {
    const chain = Array.from({ length: 40_000 }, (_, i) => `[g${i}:children]\ng${i + 1}`).join("\n");
    const ini = `${chain}\n[g40000]\nh[0000:9999]\n`;
    const rows = timed(ini, () => parseAnsibleIni(ini));
    expect(rows).toHaveLength(MAX_IMPORT_ROWS);
    // More groups than a host can carry as tags: each row has enough to be refused for it, and no more.
    expect(rows[0]!.tags.length).toBeGreaterThan(50);
    expect(rows[0]!.tags.length).toBeLessThan(60);
  });

  it("YAML aliases resolve in vars, and an alias bomb is refused", () => {
    const ok = "all:\n  vars:\n    base: &ops ops\n  hosts:\n    a: { ansible_user: *ops }\n";
    expect(parseAnsibleYaml(ok)).toMatchObject([{ name: "a", username: "ops" }]);
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9)
          .fill(`*${"abcdefghi"[i - 1]}`)
          .join(",")}]`,
      );
    const bomb = `all:\n  vars:\n${levels.map((l) => `    ${l}`).join("\n")}\n  hosts:\n    h1:\n`;
    const err = timed(bomb, () => refusal(() => parseAnsibleYaml(bomb)));
    expect(err.message).toMatch(/^line 3: Excessive alias count .* \(YAML aliases\)$/);
  });

  it("1 MiB of tiny CSV rows stops at the row limit, naming the line", () => {
    const csv = `name,address\n${"a,b\n".repeat(MIB / 4)}`;
    const err = timed(csv, () => refusal(() => parseCsvHosts(csv)));
    expect(err.message).toBe(
      `line ${MAX_IMPORT_ROWS + 2}: more than ${MAX_IMPORT_ROWS} hosts; import at most ${MAX_IMPORT_ROWS} at a time`,
    );
    expect(() => parseImportDocument("csv", csv)).toThrow(`more than ${MAX_IMPORT_ROWS} hosts`);
    expect(parseCsvHosts(`name,address\n${"a,b\n".repeat(MAX_IMPORT_ROWS)}`)).toHaveLength(MAX_IMPORT_ROWS);
  });
});

import { ImportDocumentError, MAX_IMPORT_ROWS, type ImportCandidate } from "./import-types";

// The parts of an Ansible inventory DAXboard reads, whatever its syntax (INI or YAML).
export type InventoryHost = { line: number; vars: Record<string, unknown> };
export type InventoryGroup = {
  hosts: Map<string, InventoryHost>;
  children: Set<string>;
  vars: Record<string, unknown>;
};
export type Inventory = Map<string, InventoryGroup>;

// Groups every inventory has implicitly; they are not tags.
const IMPLICIT = new Set(["all", "ungrouped"]);

export function groupOf(inv: Inventory, name: string): InventoryGroup {
  let g = inv.get(name);
  if (!g) {
    g = { hosts: new Map(), children: new Set(), vars: {} };
    inv.set(name, g);
  }
  return g;
}

// One budget for a whole inventory document (issue 12): every host a pattern names, each time a group lists it,
// is charged before its names are built. Ranges multiply across brackets (`h[0:99999][0:99999]` names 10^10
// hosts), across lines and across groups, so a per-range cap is not enough.
export type HostBudget = { entries: number; names: Set<string> };

// A host may be listed in several groups; beyond this many listings the document is not an inventory of at
// most MAX_IMPORT_ROWS hosts any more.
export const MAX_INVENTORY_ENTRIES = 4 * MAX_IMPORT_ROWS;

export const newHostBudget = (): HostBudget => ({ entries: 0, names: new Set() });

type Range = {
  start: number;
  end: number;
  values: string[] | { from: number; to: number; step: number; width: number };
};

const RANGE_RE = /\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::(\d+))?\]/iy;

// Every [from:to(:step)] of a pattern, left to right. Each "[" is tried once with a sticky (anchored) regex.
function parseRanges(pattern: string, line: number | null): Range[] {
  const ranges: Range[] = [];
  for (let at = pattern.indexOf("["); at >= 0;) {
    RANGE_RE.lastIndex = at;
    const m = RANGE_RE.exec(pattern);
    if (!m) {
      at = pattern.indexOf("[", at + 1);
      continue;
    }
    const [whole, from, to, stepText] = m;
    const step = Math.max(1, Number(stepText ?? 1));
    const numeric = /^\d+$/.test(from);
    if (numeric !== /^\d+$/.test(to)) {
      throw new ImportDocumentError(`"${pattern}": a range is two numbers or two letters, not "${from}:${to}"`, line);
    }
    // Ansible refuses a range that counts down ("host range must be begin <= end").
    const [a, b] = numeric ? [Number(from), Number(to)] : [from.charCodeAt(0), to.charCodeAt(0)];
    if (a > b)
      throw new ImportDocumentError(
        `"${pattern}": the range [${from}:${to}] counts down; write it as [${to}:${from}]`,
        line,
      );
    ranges.push({
      start: at,
      end: at + whole.length,
      values: numeric
        ? { from: a, to: b, step, width: from.length }
        : Array.from({ length: Math.floor((b - a) / step) + 1 }, (_, i) => String.fromCharCode(a + i * step)),
    });
    at = pattern.indexOf("[", at + whole.length);
  }
  return ranges;
}

const rangeSize = (r: Range) =>
  Array.isArray(r.values) ? r.values.length : Math.floor((r.values.to - r.values.from) / r.values.step) + 1;

function rangeValue(r: Range, i: number): string {
  if (Array.isArray(r.values)) return r.values[i]!;
  return String(r.values.from + i * r.values.step).padStart(r.values.width, "0");
}

/** Ansible host patterns: "web[01:03].example.com" → web01, web02, web03; "[a:c]" letters; "[0:9:3]" steps.
 * The hosts are counted and charged to `budget` before any name is built; over the import's limits this throws
 * an ImportDocumentError naming the line and the pattern. */
export function expandHostPattern(
  pattern: string,
  budget: HostBudget = newHostBudget(),
  line: number | null = null,
): string[] {
  const ranges = parseRanges(pattern, line);
  const count = ranges.reduce((n, r) => n * rangeSize(r), 1);
  if (count > MAX_IMPORT_ROWS) {
    const many = Number.isFinite(count) ? count.toLocaleString("en-US") : "countless";
    throw new ImportDocumentError(
      `"${pattern}" names ${many} hosts; import at most ${MAX_IMPORT_ROWS} at a time`,
      line,
    );
  }
  budget.entries += count;
  if (budget.entries > MAX_INVENTORY_ENTRIES) {
    throw new ImportDocumentError(
      `the inventory lists hosts more than ${MAX_INVENTORY_ENTRIES} times by "${pattern}"; import at most ${MAX_IMPORT_ROWS} hosts at a time`,
      line,
    );
  }
  const out: string[] = [];
  const index = ranges.map(() => 0);
  for (let n = 0; n < count; n++) {
    let name = "";
    let from = 0;
    ranges.forEach((r, k) => {
      name += pattern.slice(from, r.start) + rangeValue(r, index[k]!);
      from = r.end;
    });
    out.push(name + pattern.slice(from));
    // Odometer: the last bracket turns fastest, as Ansible lists them.
    for (let k = ranges.length - 1; k >= 0 && ++index[k]! === rangeSize(ranges[k]!); k--) index[k] = 0;
  }
  for (const name of out) budget.names.add(name);
  if (budget.names.size > MAX_IMPORT_ROWS) {
    throw new ImportDocumentError(
      `more than ${MAX_IMPORT_ROWS} hosts by "${pattern}"; import at most ${MAX_IMPORT_ROWS} at a time`,
      line,
    );
  }
  return out;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === "" ? undefined : String(v));

// A host's tags are its groups with their ancestors, and a host has at most 50 tags (host-input's tag rule), so
// climbing stops a little past that: the row is then refused for its tags, without walking a 40,000-group chain
// for each of 10,000 hosts.
const MAX_GROUPS_PER_HOST = 50 + IMPLICIT.size + 1;

// Parent links of every group, walked without recursion (an inventory may chain thousands of groups).
function groupGraph(inv: Inventory) {
  const parents = new Map<string, Set<string>>();
  for (const [name, g] of inv)
    for (const child of g.children) (parents.get(child) ?? parents.set(child, new Set()).get(child)!).add(name);
  const ancestorsMemo = new Map<string, Set<string>>();
  const ancestors = (name: string): Set<string> => {
    let found = ancestorsMemo.get(name);
    if (found) return found;
    found = new Set([name]);
    const queue = [name];
    climb: for (let i = 0; i < queue.length; i++) {
      for (const p of parents.get(queue[i]!) ?? []) {
        if (found.has(p)) continue;
        found.add(p);
        queue.push(p);
        if (found.size >= MAX_GROUPS_PER_HOST) break climb;
      }
    }
    ancestorsMemo.set(name, found);
    return found;
  };
  // Longest chain of parents up to "all" (0); a cycle (Ansible refuses one) just stops the climb.
  const depth = new Map<string, number>();
  const depthOf = (name: string): number => {
    const stack: Array<{ name: string; parents: string[]; next: number; best: number }> = [];
    const onStack = new Set<string>();
    const push = (n: string) => {
      onStack.add(n);
      stack.push({ name: n, parents: n === "all" ? [] : [...(parents.get(n) ?? [])], next: 0, best: 0 });
    };
    if (!depth.has(name)) push(name);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.parents.length) {
        const p = top.parents[top.next++]!;
        if (depth.has(p)) top.best = Math.max(top.best, depth.get(p)!);
        else if (!onStack.has(p)) push(p);
        continue;
      }
      stack.pop();
      onStack.delete(top.name);
      depth.set(top.name, top.name === "all" ? 0 : 1 + top.best);
      const below = stack[stack.length - 1];
      if (below) below.best = Math.max(below.best, depth.get(top.name)!);
    }
    return depth.get(name)!;
  };
  return { ancestors, depthOf };
}

// Each host once: groups (and their ancestors) become tags; vars apply parents first, then children, then the
// host's own, as Ansible's precedence does. ansible_host/port/user (and the old ansible_ssh_* names) fill the row.
// Only those keys are looked up, never whole var sets merged: a 1 MiB [all:vars] copied into each of 10,000 hosts
// (or one host line's vars into each host of its range) would be quadratic.
export function inventoryToCandidates(inv: Inventory): ImportCandidate[] {
  const { ancestors, depthOf } = groupGraph(inv);
  const hosts = new Map<string, { line: number; groups: Set<string>; own: Array<Record<string, unknown>> }>();
  for (const [groupName, g] of inv) {
    for (const [hostName, h] of g.hosts) {
      const entry = hosts.get(hostName) ?? { line: h.line, groups: new Set<string>(), own: [] };
      entry.line = Math.min(entry.line, h.line);
      for (const a of ancestors(groupName)) if (entry.groups.size < MAX_GROUPS_PER_HOST) entry.groups.add(a);
      entry.own.push(h.vars);
      hosts.set(hostName, entry);
    }
  }
  return [...hosts]
    .sort((a, b) => a[1].line - b[1].line)
    .map(([name, entry]) => {
      const groups = [...new Set([...entry.groups, "all"])].sort(
        (a, b) => depthOf(a) - depthOf(b) || a.localeCompare(b),
      );
      // Highest precedence first: the host's own vars (last listing wins), then its groups, deepest first.
      const scopes = [...entry.own].reverse().concat(groups.map((g) => inv.get(g)?.vars ?? {}).reverse());
      const pick = (key: string) => scopes.find((vars) => Object.hasOwn(vars, key))?.[key];
      return {
        line: entry.line,
        name,
        address: str(pick("ansible_host") ?? pick("ansible_ssh_host")) ?? name,
        port: str(pick("ansible_port") ?? pick("ansible_ssh_port")),
        username: str(pick("ansible_user") ?? pick("ansible_ssh_user")),
        tags: groups.filter((g) => !IMPLICIT.has(g)),
      };
    });
}

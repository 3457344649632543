import type { ImportCandidate } from "./import-types";

// The parts of an Ansible inventory DAXboard reads, whatever its syntax (INI or YAML).
export type InventoryHost = { line: number; vars: Record<string, unknown> };
export type InventoryGroup = { hosts: Map<string, InventoryHost>; children: Set<string>; vars: Record<string, unknown> };
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

// Ansible host patterns: "web[01:03].example.com" → web01, web02, web03; "[a:c]" letters too.
export function expandHostPattern(pattern: string): string[] {
  const m = /^(.*?)\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::(\d+))?\](.*)$/i.exec(pattern);
  if (!m) return [pattern];
  const [, head, from, to, stepText, tail] = m;
  const step = Math.max(1, Number(stepText ?? 1));
  const out: string[] = [];
  if (/^\d+$/.test(from) && /^\d+$/.test(to)) {
    const width = from.length;
    for (let i = Number(from); i <= Number(to) && out.length <= 100_000; i += step) out.push(String(i).padStart(width, "0"));
  } else {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c += step) out.push(String.fromCharCode(c));
  }
  return out.flatMap((part) => expandHostPattern(`${head}${part}${tail}`));
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === "" ? undefined : String(v));

// Each host once: groups (and their ancestors) become tags; vars apply parents first, then children, then the
// host's own, as Ansible's precedence does. ansible_host/port/user (and the old ansible_ssh_* names) fill the row.
export function inventoryToCandidates(inv: Inventory): ImportCandidate[] {
  const parents = new Map<string, Set<string>>();
  for (const [name, g] of inv) for (const child of g.children) (parents.get(child) ?? parents.set(child, new Set()).get(child)!).add(name);
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen: Set<string> = new Set()): number => {
    if (depth.has(name)) return depth.get(name)!;
    if (seen.has(name)) return 0; // a cycle: Ansible refuses it; we just stop climbing
    seen.add(name);
    const ps = [...(parents.get(name) ?? [])];
    const d = name === "all" ? 0 : ps.length ? 1 + Math.max(...ps.map((p) => depthOf(p, seen))) : 1;
    depth.set(name, d);
    return d;
  };
  const ancestors = (name: string, acc: Set<string> = new Set()): Set<string> => {
    if (acc.has(name)) return acc;
    acc.add(name);
    for (const p of parents.get(name) ?? []) ancestors(p, acc);
    return acc;
  };

  const hosts = new Map<string, { line: number; groups: Set<string>; own: Record<string, unknown> }>();
  for (const [groupName, g] of inv) {
    for (const [hostName, h] of g.hosts) {
      const entry = hosts.get(hostName) ?? { line: h.line, groups: new Set<string>(), own: {} };
      entry.line = Math.min(entry.line, h.line);
      for (const a of ancestors(groupName)) entry.groups.add(a);
      Object.assign(entry.own, h.vars);
      hosts.set(hostName, entry);
    }
  }
  return [...hosts]
    .sort((a, b) => a[1].line - b[1].line)
    .map(([name, entry]) => {
      const groups = [...entry.groups, "all"].filter((g, i, all) => all.indexOf(g) === i).sort((a, b) => depthOf(a) - depthOf(b) || a.localeCompare(b));
      const vars: Record<string, unknown> = {};
      for (const g of groups) Object.assign(vars, inv.get(g)?.vars ?? {});
      Object.assign(vars, entry.own);
      return {
        line: entry.line,
        name,
        address: str(vars.ansible_host ?? vars.ansible_ssh_host) ?? name,
        port: str(vars.ansible_port ?? vars.ansible_ssh_port),
        username: str(vars.ansible_user ?? vars.ansible_ssh_user),
        tags: groups.filter((g) => !IMPLICIT.has(g)),
      };
    });
}

import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { expandHostPattern, groupOf, inventoryToCandidates, newHostBudget, type Inventory } from "./ansible-inventory";
import { ImportDocumentError, type ImportCandidate } from "./import-types";

// The yaml package's default: an anchor may be expanded this many times, weighted by the aliases inside it.
const MAX_ALIAS_COUNT = 100;

// Ansible YAML inventories: top-level groups (usually just `all`), each with `hosts` (name → vars or null),
// `children` (name → group) and `vars`. Read through the YAML node tree so every host keeps its line number.
export function parseAnsibleYaml(text: string): ImportCandidate[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new ImportDocumentError(e.message.split("\n")[0], e.linePos?.[0].line ?? null);
  }
  const root = doc.contents;
  if (!isMap(root))
    throw new ImportDocumentError("an Ansible YAML inventory is a mapping of groups (all: {hosts, children, vars})", 1);
  const inv: Inventory = new Map();
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const budget = newHostBudget();
  // Vars resolve their aliases (`ansible_user: *ops`), with the yaml package's guard against alias bombs ("billion
  // laughs": a few lines of nested aliases that expand to gigabytes).
  const varsOf = (node: unknown): Record<string, unknown> => {
    if (!isMap(node)) return {};
    try {
      return node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof ReferenceError) throw new ImportDocumentError(`${err.message} (YAML aliases)`, lineOf(node));
      throw err;
    }
  };

  const readGroup = (name: string, node: unknown, seen: Set<string>) => {
    const group = groupOf(inv, name);
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
    if (!isMap(node))
      throw new ImportDocumentError(
        `group "${name}" must be a mapping with hosts, children or vars`,
        lineOf(node as Node),
      );
    const map = node as YAMLMap;
    const hosts = map.get("hosts", true);
    if (isMap(hosts)) {
      for (const pair of hosts.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const vars = varsOf(pair.value);
        const line = lineOf(pair.key as Node);
        for (const host of expandHostPattern(key, budget, line)) group.hosts.set(host, { line, vars });
      }
    } else if (hosts !== undefined && hosts !== null && !(isScalar(hosts) && hosts.value === null)) {
      throw new ImportDocumentError(
        `"hosts" of group "${name}" must be a mapping of host names`,
        lineOf(hosts as Node),
      );
    }
    const vars = map.get("vars", true);
    if (isMap(vars)) group.vars = varsOf(vars);
    const children = map.get("children", true);
    if (isMap(children)) {
      for (const pair of children.items) {
        const child = String(isScalar(pair.key) ? pair.key.value : pair.key);
        group.children.add(child);
        // A group may be listed under several parents; read its body wherever it has one.
        if (!seen.has(`${name}>${child}`)) readGroup(child, pair.value, new Set([...seen, `${name}>${child}`]));
      }
    }
  };

  for (const pair of root.items) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    readGroup(name, pair.value, new Set());
    if (name !== "all") groupOf(inv, "all").children.add(name);
  }
  return inventoryToCandidates(inv);
}

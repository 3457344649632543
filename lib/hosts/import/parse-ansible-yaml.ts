import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { expandHostPattern, groupOf, inventoryToCandidates, type Inventory } from "./ansible-inventory";
import { ImportDocumentError, type ImportCandidate } from "./import-types";

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
  if (!isMap(root)) throw new ImportDocumentError("an Ansible YAML inventory is a mapping of groups (all: {hosts, children, vars})", 1);
  const inv: Inventory = new Map();
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);

  const readGroup = (name: string, node: unknown, seen: Set<string>) => {
    const group = groupOf(inv, name);
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) throw new ImportDocumentError(`group "${name}" must be a mapping with hosts, children or vars`, lineOf(node as Node));
    const map = node as YAMLMap;
    const hosts = map.get("hosts", true);
    if (isMap(hosts)) {
      for (const pair of hosts.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const vars = isMap(pair.value) ? (pair.value.toJSON() as Record<string, unknown>) : {};
        for (const host of expandHostPattern(key)) group.hosts.set(host, { line: lineOf(pair.key as Node), vars });
      }
    } else if (hosts !== undefined && hosts !== null && !(isScalar(hosts) && hosts.value === null)) {
      throw new ImportDocumentError(`"hosts" of group "${name}" must be a mapping of host names`, lineOf(hosts as Node));
    }
    const vars = map.get("vars", true);
    if (isMap(vars)) group.vars = vars.toJSON() as Record<string, unknown>;
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

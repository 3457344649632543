import { parse as parseIni } from "ini";
import { expandHostPattern, groupOf, inventoryToCandidates, newHostBudget, type Inventory } from "./ansible-inventory";
import { ImportDocumentError, type ImportCandidate } from "./import-types";

// Splits a host line the way Ansible does (shlex with comments): whitespace-separated, quotes group, # starts a
// comment outside quotes.
export function splitHostLine(line: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === "#") {
      break;
    } else if (/\s/.test(ch)) {
      if (started) tokens.push(current);
      current = "";
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (quote) throw new Error("unterminated quote");
  if (started) tokens.push(current);
  return tokens;
}

// "db1.example.com:2222" → name and port; IPv6 literals (several colons) are left whole.
function splitHostPort(token: string): { host: string; port?: string } {
  const m = /^([^:]+):(\d+)$/.exec(token);
  return m ? { host: m[1], port: m[2] } : { host: token };
}

// Ansible INI inventories. Our own line parser reads the structure: host lines are "name key=value ...", not INI
// key=value pairs, and [group:children] holds bare names, which `ini` would mangle. `ini` decodes only the bodies
// of [group:vars] sections, which are plain key=value INI (quoting and ; comments included).
export function parseAnsibleIni(text: string): ImportCandidate[] {
  const inv: Inventory = new Map();
  const varsText = new Map<string, string[]>();
  const problems = new Map<string, ImportCandidate["problem"]>();
  const budget = newHostBudget();
  let section: { group: string; kind: "hosts" | "children" | "vars" } = { group: "ungrouped", kind: "hosts" };
  groupOf(inv, "all").children.add("ungrouped");

  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      section = { group: header[1].trim(), kind: (header[2] as "vars" | "children" | undefined) ?? "hosts" };
      groupOf(inv, section.group);
      if (section.group !== "all") groupOf(inv, "all").children.add(section.group);
      return;
    }
    if (line.startsWith("["))
      throw new ImportDocumentError(
        `"${line}" is not a section header like [group], [group:vars] or [group:children]`,
        lineNo,
      );
    if (section.kind === "vars") {
      // Pushed, not copied: a [group:vars] section may run to 1 MiB of lines.
      (varsText.get(section.group) ?? varsText.set(section.group, []).get(section.group)!).push(line);
      return;
    }
    let tokens: string[];
    try {
      tokens = splitHostLine(line);
    } catch (err) {
      throw new ImportDocumentError((err as Error).message, lineNo);
    }
    if (!tokens.length) return;
    if (section.kind === "children") {
      groupOf(inv, tokens[0]);
      groupOf(inv, section.group).children.add(tokens[0]);
      return;
    }
    const { host, port } = splitHostPort(tokens[0]);
    const vars: Record<string, unknown> = port ? { ansible_port: port } : {};
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf("=");
      if (eq <= 0) {
        problems.set(host, { message: `"${token}" is not a key=value host variable`, field: "line" });
        continue;
      }
      vars[token.slice(0, eq)] = token.slice(eq + 1);
    }
    for (const name of expandHostPattern(host, budget, lineNo))
      groupOf(inv, section.group).hosts.set(name, { line: lineNo, vars });
  });

  for (const [group, lines] of varsText) groupOf(inv, group).vars = parseIni(lines.join("\n"));
  // A host listed in a named group is not "ungrouped" (Ansible's rule).
  const ungrouped = groupOf(inv, "ungrouped");
  for (const [name, g] of inv)
    if (name !== "ungrouped" && name !== "all") for (const h of g.hosts.keys()) ungrouped.hosts.delete(h);
  return inventoryToCandidates(inv).map((c) => (problems.has(c.name) ? { ...c, problem: problems.get(c.name) } : c));
}

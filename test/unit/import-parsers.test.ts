import { describe, expect, it } from "vitest";
import { expandHostPattern } from "@/lib/hosts/import/ansible-inventory";
import { ImportDocumentError } from "@/lib/hosts/import/import-types";
import { parseAnsibleIni, splitHostLine } from "@/lib/hosts/import/parse-ansible-ini";
import { parseAnsibleYaml } from "@/lib/hosts/import/parse-ansible-yaml";
import { parseCsvHosts } from "@/lib/hosts/import/parse-csv-hosts";

const byName = <T extends { name: string }>(rows: T[]) => Object.fromEntries(rows.map((r) => [r.name, r]));

describe("CSV hosts", () => {
  it("reads the header in any order, tags split on spaces or ;, quoted cells and line numbers", () => {
    const rows = parseCsvHosts(
      '\uFEFFname,address,user,port,tags\naltra-01,10.0.0.1,ops,2222,rack1;altra\n\n"grace, 02",10.0.0.2,,,"nvidia grace"\n',
    );
    expect(rows).toEqual([
      { line: 2, name: "altra-01", address: "10.0.0.1", port: "2222", username: "ops", tags: ["rack1", "altra"] },
      {
        line: 4,
        name: "grace, 02",
        address: "10.0.0.2",
        port: undefined,
        username: undefined,
        tags: ["nvidia", "grace"],
      },
    ]);
  });

  it("accepts username as an alias and flags rows with extra cells", () => {
    const rows = parseCsvHosts("name,address,username\na,10.0.0.1,ops,extra\n");
    expect(rows[0].username).toBe("ops");
    expect(rows[0].problem?.message).toMatch(/4 cells but the header has 3/);
  });

  it("refuses unknown columns and a missing address column", () => {
    expect(() => parseCsvHosts("name,addr\na,b\n")).toThrow(/unknown column "addr"/);
    expect(() => parseCsvHosts("name,user\na,b\n")).toThrow(/no "address" column/);
    expect(() => parseCsvHosts('name,address\n"a,10.0.0.1\n')).toThrow(ImportDocumentError);
  });
});

describe("Ansible INI", () => {
  const INI = `
# web tier
lonely.example.com

[web]
web[01:03].example.com ansible_user=deploy
db1.example.com:2222

[db]
db1.example.com ansible_host=10.0.0.50 note="a b # not a comment" # a comment
db2 ansible_host=10.0.0.51 ansible_port=2200

[prod:children]
web
db

[prod:vars]
ansible_user=ops
; ini comment
ansible_port=22

[all:vars]
ansible_user=root
`;

  it("reads hosts, ranges, host:port, host vars, children and [group:vars] with Ansible precedence", () => {
    const rows = byName(parseAnsibleIni(INI));
    expect(Object.keys(rows)).toEqual([
      "lonely.example.com",
      "web01.example.com",
      "web02.example.com",
      "web03.example.com",
      "db1.example.com",
      "db2",
    ]);
    expect(rows["lonely.example.com"]).toMatchObject({
      line: 3,
      address: "lonely.example.com",
      username: "root",
      tags: [],
    });
    expect(rows["web02.example.com"]).toMatchObject({ line: 6, username: "deploy", port: "22", tags: ["prod", "web"] });
    // host vars from two groups merge; the host line's ansible_port beats the group's
    expect(rows["db1.example.com"]).toMatchObject({
      line: 7,
      address: "10.0.0.50",
      port: "2222",
      username: "ops",
      tags: ["prod", "db", "web"],
    });
    expect(rows["db2"]).toMatchObject({ address: "10.0.0.51", port: "2200", username: "ops", tags: ["prod", "db"] });
  });

  it("splits host lines like shlex", () => {
    expect(splitHostLine(`h1 a=1 b="x y" c='z' # comment`)).toEqual(["h1", "a=1", "b=x y", "c=z"]);
    expect(() => splitHostLine(`h1 a="open`)).toThrow(/unterminated/);
  });

  it("marks a host line with a token that is not key=value", () => {
    const rows = parseAnsibleIni("[web]\nweb1 ansible_host=10.0.0.1 oops\n");
    expect(rows[0].problem?.message).toMatch(/"oops" is not a key=value/);
  });

  it("reports a broken section header with its line", () => {
    expect(() => parseAnsibleIni("[web]\nweb1\n[broken\n")).toThrow(/line 3/);
  });
});

describe("Ansible YAML", () => {
  const YAML = `all:
  hosts:
    bastion:
      ansible_host: 192.0.2.10
  vars:
    ansible_user: admin
  children:
    arm:
      vars:
        ansible_port: 2201
      children:
        altra:
          hosts:
            altra-[1:2]:
              ansible_user: ops
        grace:
          hosts:
            grace-1:
            grace-2: { ansible_host: 10.9.0.2, ansible_port: 22 }
`;

  it("reads hosts, children, vars and ranges with line numbers", () => {
    const rows = byName(parseAnsibleYaml(YAML));
    expect(Object.keys(rows)).toEqual(["bastion", "altra-1", "altra-2", "grace-1", "grace-2"]);
    expect(rows.bastion).toMatchObject({
      line: 3,
      address: "192.0.2.10",
      username: "admin",
      port: undefined,
      tags: [],
    });
    expect(rows["altra-2"]).toMatchObject({
      line: 14,
      address: "altra-2",
      username: "ops",
      port: "2201",
      tags: ["arm", "altra"],
    });
    expect(rows["grace-1"]).toMatchObject({ line: 18, username: "admin", port: "2201", tags: ["arm", "grace"] });
    expect(rows["grace-2"]).toMatchObject({ address: "10.9.0.2", port: "22" });
  });

  it("reports YAML syntax errors and wrong shapes with a line", () => {
    expect(() => parseAnsibleYaml("all:\n  hosts:\n    a: [\n")).toThrow(ImportDocumentError);
    expect(() => parseAnsibleYaml("- just\n- a list\n")).toThrow(/mapping of groups/);
    expect(() => parseAnsibleYaml("all:\n  hosts:\n    - a\n")).toThrow(/line 3/);
  });
});

describe("host patterns", () => {
  it("expands numeric (zero-padded), letter and stepped ranges", () => {
    expect(expandHostPattern("web[08:10].x")).toEqual(["web08.x", "web09.x", "web10.x"]);
    expect(expandHostPattern("db-[a:c]")).toEqual(["db-a", "db-b", "db-c"]);
    expect(expandHostPattern("n[0:6:3]")).toEqual(["n0", "n3", "n6"]);
    expect(expandHostPattern("plain")).toEqual(["plain"]);
  });
});

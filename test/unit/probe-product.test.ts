// Product truth (issue 13 item 6): the product fact holds product names only, and a QEMU/KVM guest's DMI does not
// narrow the products sharing a core.
import { describe, expect, it } from "vitest";
import { parseFacts } from "@/lib/probe/facts";
import { CPU_TABLE } from "@/lib/readiness/cpu-table";
import { buildProbeDocument, type DocSection } from "@/test/support/capture-document";

const cpuinfo = (part: string, n = 4) =>
  Array.from({ length: n }, (_, i) => `processor\t: ${i}\nCPU implementer\t: 0x41\nCPU part\t: ${part}\n`).join("\n");

function product(part: string, extra: DocSection[] = []) {
  const doc = buildProbeDocument("tok", [
    { name: "arch", rc: 0, body: "aarch64" },
    { name: "cpuinfo", rc: 0, body: cpuinfo(part) },
    ...extra,
  ]);
  return parseFacts(doc).facts.product;
}

describe("a core the CPU table describes by its users", () => {
  it("Cortex-A78 ('phone SoCs') gives product unknown naming the core, never the words", () => {
    const p = product("0xd41");
    expect(p.known).toBe(false);
    if (p.known) return;
    expect(p.detail).toMatch(/^product unknown: Cortex-A78\b/);
  });

  it("Cortex-A55 (little cores of many SoCs) gives product unknown", () => {
    expect(product("0xd05")).toMatchObject({ known: false, detail: expect.stringMatching(/Cortex-A55/) });
  });

  it("Cortex-A53 is not called a Raspberry Pi 3 just because the Pi 3 is the one product listed beside 'many SoCs'", () => {
    expect(product("0xd03").known).toBe(false);
  });

  it("a DMI name still names such a host", () => {
    const p = product("0xd41", [{ name: "dmi", rc: 0, body: "sys_vendor=Radxa\nproduct_name=Orion O6" }]);
    expect(p).toMatchObject({ known: true, value: { name: "Radxa Orion O6" } });
  });

  it("no table entry lists a description among its products", () => {
    const words = /\bSoCs\b|\bsamples\b|\bparts\b|\bera\b|\bper\b/;
    const offenders = CPU_TABLE.flatMap((e) => e.products.filter((p) => words.test(p)).map((p) => `${e.core}: ${p}`));
    expect(offenders).toEqual([]);
  });
});

describe("products sharing Neoverse N1 (AWS Graviton2, Ampere Altra, Ampere Altra Max)", () => {
  const candidates = (extra: DocSection[]) => {
    const p = product("0xd0c", extra);
    return p.known ? p.value.candidates : [];
  };

  it("a QEMU/KVM guest's DMI does not rule Graviton2 out", () => {
    const c = candidates([{ name: "dmi", rc: 0, body: "sys_vendor=QEMU\nproduct_name=KVM Virtual Machine" }]);
    expect(c).toEqual(["AWS Graviton2", "Ampere Altra", "Ampere Altra Max"]);
  });

  it("nor does a Hetzner vServer (a KVM guest) whose virt section says kvm", () => {
    const c = candidates([
      { name: "dmi", rc: 0, body: "sys_vendor=Hetzner\nproduct_name=vServer\nproduct_family=Hetzner_vServer" },
      { name: "virt", rc: 0, body: "systemd-detect-virt=kvm" },
    ]);
    expect(c).toContain("AWS Graviton2");
    expect(c).toHaveLength(3);
  });

  it("bare metal from another vendor still rules the cloud-only part out", () => {
    const c = candidates([
      { name: "dmi", rc: 0, body: "sys_vendor=Supermicro\nproduct_name=R12SPD-A" },
      { name: "virt", rc: 0, body: "systemd-detect-virt=none" },
    ]);
    expect(c).toEqual(["Ampere Altra", "Ampere Altra Max"]);
  });

  it("an EC2 instance is still named as one", () => {
    const p = product("0xd0c", [{ name: "dmi", rc: 0, body: "sys_vendor=Amazon EC2\nproduct_name=m6g.large" }]);
    expect(p).toMatchObject({ known: true, value: { name: "AWS Graviton2 (m6g.large)", resolved: true } });
  });
});

// The demo fleet (npm run demo, the bench) carries the zero-copy sections where its profiles say so, and together
// its hosts show every path verdict and every best path (issue 13, "Done when").
import { describe, expect, it } from "vitest";
import { parseFacts } from "@/lib/probe/facts";
import { DEFAULT_GUEST_PROFILE } from "@/lib/readiness";
import { assess } from "@/lib/readiness/assess";
import { DEMO_FLEET, simulatedDocument } from "@/test/support/sim-documents";

const hosts = DEMO_FLEET.filter((p) => !p.behaviour).map((p) => {
  const doc = simulatedDocument(p, "tok");
  const { facts } = parseFacts(doc);
  return { profile: p, doc, facts, assessment: assess(facts, DEFAULT_GUEST_PROFILE) };
});
const byName = (name: string) => hosts.find((h) => h.profile.name === name)!;

describe("demo fleet zero-copy sections", () => {
  it("hosts with zero-copy options carry the sections, named as synthetic; the others read as not collected", () => {
    for (const { profile, doc, facts } of hosts) {
      const synthetic = /^--tok x-synthetic rc=0\n(.*)$/m.exec(doc)?.[1] ?? "";
      if (profile.zeroCopy) {
        expect(synthetic, profile.name).toMatch(/\bksm\b/);
        expect(facts.ksm.known, profile.name).toBe(true);
      } else {
        expect(synthetic, profile.name).not.toMatch(/\bch-options\b|\bksm\b|\bkata\b|\bvmms\b/);
        expect(facts.chOptions, profile.name).toMatchObject({ known: false, reason: "not-collected" });
      }
    }
  });

  it("has a Kata host, a Firecracker host, KSM on, KSM off and a kernel without KSM", () => {
    expect(byName("graviton3-c7g-01").facts.kata).toMatchObject({ known: true, value: { found: true } });
    expect(byName("graviton2-t4g-01").facts.otherVmms).toMatchObject({ value: [{ id: "firecracker" }] });
    expect(byName("kunpeng920-02").facts.ksm).toMatchObject({ value: { present: true, run: 1 } });
    expect(byName("altra-max-01").facts.ksm).toMatchObject({ value: { present: true, run: 0 } });
    expect(byName("altra-03").facts.ksm).toMatchObject({ value: { present: false } });
    expect(byName("altra-03").facts.kernelConfig).toMatchObject({ value: { CONFIG_KSM: "n" } });
    expect(byName("altra-vendor-ch-01").facts.chOptions).toMatchObject({ value: { pmem: false, mergeable: true } });
  });

  it("shows every path verdict and every best path at least once", () => {
    const verdicts = new Set(hosts.flatMap((h) => h.assessment.paths.map((p) => p.verdict)));
    expect([...verdicts].sort()).toEqual(["blocked", "n/a", "ready", "ready-with-warnings", "unknown"]);
    const best = new Set(hosts.map((h) => h.assessment.bestPath));
    expect(best).toEqual(new Set(["virtiofs-dax", "pmem-dax", "ksm", null]));
  });
});

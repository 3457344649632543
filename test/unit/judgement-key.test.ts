import { describe, expect, it } from "vitest";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "@/lib/readiness";
import { deriveFromProbe, deriveRescan, isReused, judgementKey } from "@/lib/scan/derive";
import { captureDocument, listCaptures } from "../support/capture-document";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";

// A rescan reuses its host's current assessment when their judgement keys are equal, so the key must change
// exactly when the assessment would: checked here over every real capture and a demo-fleet document, under two
// guest profiles, with the probe's run time missing, known (two values) and unreadable.
const TOKEN = "keytesttoken";
const withRuntime = (doc: string, body: string | null) =>
  body === null ? doc : doc.replace(`--${TOKEN}--\n`, `--${TOKEN} probe-runtime rc=0\n${body}\n--${TOKEN}--\n`);
const RUNTIMES = [null, "elapsed_ms=812", "elapsed_ms=95", "elapsed_ms=soon"];
const NEWER_GUEST: GuestProfile = { ...DEFAULT_GUEST_PROFILE, kernelVersion: "6.18", ksmRiskAccepted: true };
const PROFILES = [DEFAULT_GUEST_PROFILE, NEWER_GUEST];

const documents = [
  ...listCaptures().map((name) => ({ name, doc: captureDocument(name, TOKEN) })),
  {
    name: "sim altra-max-02",
    doc: simulatedDocument(
      DEMO_FLEET.find((p) => p.name === "altra-max-02")!,
      TOKEN,
    ),
  },
];

describe("judgementKey", () => {
  it.each(documents)("$name: equal keys exactly when the assessments are equal", ({ doc }) => {
    const judged = RUNTIMES.flatMap((runtime) =>
      PROFILES.map((profile) => {
        const d = deriveFromProbe(withRuntime(doc, runtime), profile, TOKEN);
        return { key: d.assessmentKey, assessment: JSON.stringify(d.assessment), runtime: d.facts.probeRuntimeMs };
      }),
    );
    for (const a of judged)
      for (const b of judged) expect(a.key === b.key, `${a.key} vs ${b.key}`).toBe(a.assessment === b.assessment);
    // Two known run times judge alike (the document differs, the key does not); missing and known do not.
    const [missing, slow, fast] = [judged[0]!, judged[2]!, judged[4]!];
    expect([slow.runtime.known, fast.runtime.known]).toEqual([true, true]);
    expect(slow.key).toBe(fast.key);
    expect(missing.key).not.toBe(slow.key);
    // The profile is part of the key.
    expect(judged[0]!.key).not.toBe(judged[1]!.key);
  });

  it("covers the parse warnings", () => {
    const { facts } = deriveFromProbe(documents[0]!.doc, DEFAULT_GUEST_PROFILE, TOKEN);
    expect(judgementKey(facts, DEFAULT_GUEST_PROFILE, [])).not.toBe(
      judgementKey(facts, DEFAULT_GUEST_PROFILE, ["section x: truncated"]),
    );
  });
});

describe("deriveRescan", () => {
  const doc = withRuntime(documents[documents.length - 1]!.doc, "elapsed_ms=812");
  const full = deriveFromProbe(doc, DEFAULT_GUEST_PROFILE, TOKEN);

  it("reuses the current scan's assessment when the key matches, and judges in full on demand", () => {
    const current = { scanId: "scan-1", assessmentKey: full.assessmentKey, verdict: full.verdict };
    const d = deriveRescan(doc.replace("elapsed_ms=812", "elapsed_ms=77"), DEFAULT_GUEST_PROFILE, TOKEN, current);
    if (!isReused(d)) throw new Error("expected a reused derivation");
    expect(d.reuse).toEqual({ scanId: "scan-1", verdict: full.verdict });
    expect(d.facts.probeRuntimeMs).toMatchObject({ known: true, value: 77 });
    expect(d.derive().assessment).toEqual(full.assessment);
  });

  it("judges in full when the key differs, the host has no verdict yet, or there is no current scan", () => {
    for (const current of [
      { scanId: "scan-1", assessmentKey: "another", verdict: full.verdict },
      { scanId: "scan-1", assessmentKey: full.assessmentKey, verdict: null },
      { scanId: "scan-1", assessmentKey: null, verdict: full.verdict },
      null,
    ]) {
      const d = deriveRescan(doc, DEFAULT_GUEST_PROFILE, TOKEN, current);
      expect(isReused(d)).toBe(false);
      expect(d).toMatchObject({ assessment: full.assessment, verdict: full.verdict });
    }
    const otherGuest = deriveRescan(doc, NEWER_GUEST, TOKEN, {
      scanId: "scan-1",
      assessmentKey: full.assessmentKey,
      verdict: full.verdict,
    });
    expect(isReused(otherGuest)).toBe(false);
  });
});

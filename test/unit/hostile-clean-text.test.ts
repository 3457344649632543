// Text PostgreSQL refuses (NUL; lone UTF-16 surrogates, which JSON.stringify writes as "\udXXX" escapes jsonb
// rejects) never reaches the facts or the assessment, whatever the host sends (issue 12 item 4).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanJsonStrings, cleanProbeText } from "@/lib/probe/clean-text";
import { parseProbeDocument } from "@/lib/probe/document";
import { DEFAULT_GUEST_PROFILE } from "@/lib/readiness";
import { deriveFromProbe } from "@/lib/scan/derive";
import { captureDocument } from "@/test/support/capture-document";

// What PostgreSQL's text and jsonb refuse, in a JSON document as pg receives it.
const REFUSED = /\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

describe("cleanProbeText", () => {
  it("removes NUL and replaces lone surrogates, keeping valid pairs and counting both", () => {
    expect(cleanProbeText("a\u0000b\u0000")).toEqual({ text: "ab", removedNuls: 2, replacedSurrogates: 0 });
    expect(cleanProbeText("\ud800x\udc00\ud83d\ude00\ud83d")).toEqual({
      text: "\ufffdx\ufffd\ud83d\ude00\ufffd",
      removedNuls: 0,
      replacedSurrogates: 3,
    });
    expect(cleanProbeText("plain ✓ text")).toEqual({ text: "plain ✓ text", removedNuls: 0, replacedSurrogates: 0 });
  });

  it("cleans every string of a JSON value, keys included", () => {
    expect(cleanJsonStrings({ a: ["x\u0000", 1, null, { "k\u0000": "\udc00" }], b: true })).toEqual({
      a: ["x", 1, null, { k: "\ufffd" }],
      b: true,
    });
  });

  it("is linear: 1 MiB of surrogates and NULs in well under a second", () => {
    const text = "\ud800\u0000".repeat(1 << 19);
    const started = performance.now();
    const { removedNuls, replacedSurrogates } = cleanProbeText(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect([removedNuls, replacedSurrogates]).toEqual([1 << 19, 1 << 19]);
  });
});

describe("parsing a document that holds NUL and lone surrogates", () => {
  const base = captureDocument("nvidia-grace-hrw-abridged", "tok").replace(
    "--tok--",
    "--tok arch rc=0\naarch64\n--tok dmi rc=0\nsys_vendor=NVIDIA\nproduct_name=Grace\n--tok dt-model rc=0\nx\n--tok--",
  );
  const junk = fc
    .array(fc.constantFrom("\u0000", "\ud800", "\udfff", "\ud83d\ude00", "a", "\n", "=", ":"), {
      minLength: 1,
      maxLength: 8,
    })
    .map((a) => a.join(""));

  it("yields facts and an assessment PostgreSQL accepts, wherever the bytes land", () => {
    fc.assert(
      fc.property(fc.nat(), junk, (at, bytes) => {
        // Anywhere after the header line (a damaged header is a parse-failed scan, tested elsewhere).
        const header = base.indexOf("\n") + 1;
        const i = header + (at % (base.length - header));
        const derived = deriveFromProbe(base.slice(0, i) + bytes + base.slice(i), DEFAULT_GUEST_PROFILE, null);
        expect(JSON.stringify(derived)).not.toMatch(REFUSED);
      }),
      { numRuns: 300 },
    );
  });

  it("reads a value whose NUL was the only damage, and warns about the cleaning", () => {
    const doc = parseProbeDocument(base.replace("sys_vendor=NVIDIA", "sys_vendor=NVI\u0000DIA\u0000"));
    expect(doc.sections.get("dmi")?.body).toContain("sys_vendor=NVIDIA\n");
    expect(doc.warnings).toContain("output cleaned before parsing: removed 2 NUL character(s)");
  });
});

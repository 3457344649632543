// Real assessment reports for component tests: a demo-fleet host's simulated probe document, parsed and assessed
// by the same code the scan worker runs, so the UI is tested against the shapes it will really receive.
import { parseFacts } from "@/lib/probe/facts";
import { assess } from "@/lib/readiness/assess";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "@/lib/readiness/guest-profile";
import { toAssessmentReport, type AssessmentReport } from "@/lib/readiness/report";
import { DEMO_FLEET, simulatedDocument } from "@/test/support/sim-documents";
import { zeroCopySections, type ZeroCopyOptions } from "@/test/support/zero-copy-sections";

export function reportFor(hostName: string, guest: Partial<GuestProfile> = {}): AssessmentReport {
  const profile = DEMO_FLEET.find((p) => p.name === hostName);
  if (!profile) throw new Error(`no demo host ${hostName}`);
  const { facts } = parseFacts(simulatedDocument(profile, "tok123"));
  return toAssessmentReport(facts, assess(facts, { ...DEFAULT_GUEST_PROFILE, ...guest }));
}

// The same, with the zero-copy sections (issue 13) added to the document before its end marker.
export function reportWithZeroCopy(hostName: string, options: ZeroCopyOptions): AssessmentReport {
  const profile = DEMO_FLEET.find((p) => p.name === hostName);
  if (!profile) throw new Error(`no demo host ${hostName}`);
  const extra = zeroCopySections(options).map((s) => `--tok123 ${s.name} rc=${s.rc}\n${s.body}\n`);
  const document = simulatedDocument(profile, "tok123").replace("--tok123--\n", `${extra.join("")}--tok123--\n`);
  const { facts } = parseFacts(document);
  return toAssessmentReport(facts, assess(facts, DEFAULT_GUEST_PROFILE));
}

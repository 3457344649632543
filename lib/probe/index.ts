// Public surface of the probe core (pure: no I/O).
export {
  PROBE_FORMAT_VERSION,
  PROBE_SCRIPT_RELATIVE_PATH,
  PROBE_SECTIONS,
  isValidBoundaryToken,
  newBoundaryToken,
  type ProbeSectionName,
} from "./constants";
export { cleanJsonStrings, cleanProbeText, type CleanedText } from "./clean-text";
export { parseProbeDocument, type ProbeDocument, type ProbeSection } from "./document";
export { parseFacts, parsedFacts, factsFromDocument, normalizeStoredFacts } from "./facts";
export { parseChHelp, parseChVersion, parseVirtiofsdVersion } from "./parse-stack";
export { parseKconfigText } from "./parse-system";
export { cpuPairsFromCpuinfo, pairFromMidr } from "./parse-cpu";
export type * from "./types";

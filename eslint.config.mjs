import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default [
  ...nextVitals,
  ...nextTs,
  // Tests read JSON responses deeply; typing every response shape there would add noise, not safety.
  { files: ["test/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  { ignores: ["lib/generated/**", ".next/**", "node_modules/**", ".data/**", "test-results/**", "next-env.d.ts"] },
];

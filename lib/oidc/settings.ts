import { config } from "../config";
import { ROLES, roleAtLeast, type Role } from "../auth/roles";

export type RoleMap = { groups: Map<string, Role>; fallback: Role | null };

export type OidcSettings = {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  groupsClaim: string;
  roleMap: RoleMap;
  name: string;
};

// DAXBOARD_OIDC_ROLE_MAP: "group=role" pairs separated by commas; "*" names the role of everyone else. Without a
// "*", a user in none of the listed groups is refused: a company-wide IdP should not open the fleet to all staff.
export function parseRoleMap(raw: string): RoleMap {
  const groups = new Map<string, Role>();
  let fallback: Role | null = null;
  for (const entry of raw.split(",").map((part) => part.trim())) {
    if (!entry) continue;
    const at = entry.lastIndexOf("=");
    const group = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim() as Role;
    if (at <= 0 || !group || !ROLES.includes(role)) {
      throw new Error(
        `DAXBOARD_OIDC_ROLE_MAP entry ${JSON.stringify(entry)} is not "group=role" with a role of ` +
          `${ROLES.join(", ")} (e.g. "daxboard-admins=admin,daxboard-ops=operator,*=viewer")`,
      );
    }
    if (group === "*") fallback = role;
    else groups.set(group, role);
  }
  return { groups, fallback };
}

// The highest role any of the user's groups maps to; else the "*" role; else null (refused).
export function roleFromGroups(userGroups: readonly string[], map: RoleMap): Role | null {
  let best: Role | null = null;
  for (const group of userGroups) {
    const role = map.groups.get(group);
    if (role && (!best || roleAtLeast(role, best))) best = role;
  }
  return best ?? map.fallback;
}

// The groups claim as a list of names: an array of strings, or one string (some IdPs send a single group so).
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

// null while DAXBOARD_OIDC_ISSUER is unset (single sign-on off); a half-done configuration is an error that names
// the missing variable rather than a login button that fails later.
export function oidcSettings(): OidcSettings | null {
  const rawIssuer = config.oidcIssuer();
  if (!rawIssuer) return null;
  let issuer: URL;
  try {
    issuer = new URL(rawIssuer);
  } catch {
    throw new Error(`DAXBOARD_OIDC_ISSUER is not a URL: ${JSON.stringify(rawIssuer)}`);
  }
  const clientId = config.oidcClientId();
  if (!clientId) throw new Error("DAXBOARD_OIDC_CLIENT_ID must be set when DAXBOARD_OIDC_ISSUER is");
  return {
    issuer,
    clientId,
    clientSecret: config.oidcClientSecret(),
    groupsClaim: config.oidcGroupsClaim(),
    roleMap: parseRoleMap(config.oidcRoleMap()),
    name: config.oidcName() ?? issuer.hostname,
  };
}

// Plain http is accepted from an issuer on this machine only (tests, a local IdP); anywhere else it must be https.
export function isLoopbackIssuer(issuer: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname);
}

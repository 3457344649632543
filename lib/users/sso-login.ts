import { getDb } from "../db";
import { AppError } from "../api/errors";
import { createSession } from "../auth/sessions";
import type { Actor, Role } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { groupsFromClaims, roleFromGroups, type OidcSettings } from "../oidc/settings";
import type { OidcIdentity } from "../oidc/client";
import { anonymousActor, type LoginContext } from "./login";

// Who creates a user at first sign-in: the identity provider, through DAXboard's single sign-on.
const ssoActor: Actor = { kind: "system", id: null, label: "single sign-on", role: "viewer" };

export const ssoRefused = (code: string, message: string) => new AppError(code, message, 403);

const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim().slice(0, 200) : undefined);

// The email DAXboard shows and keys nothing on (the identity is issuer + sub); IdPs without an email claim get a
// stable stand-in under the issuer's host name.
function emailOf(identity: OidcIdentity): string {
  const email = text(identity.claims.email);
  if (email) return email.toLowerCase();
  return `${identity.subject}@${new URL(identity.issuer).hostname}`.toLowerCase().slice(0, 200);
}

async function refuse(identity: OidcIdentity, context: LoginContext, reason: string, error: AppError, userId?: string) {
  await recordAudit(anonymousActor, {
    action: "user.login-failed",
    targetType: userId ? "user" : undefined,
    targetId: userId ?? null,
    detail: { email: emailOf(identity), address: context.address, method: "oidc", issuer: identity.issuer, reason },
  });
  return error;
}

// Signs in a user the IdP vouched for: created at first sign-in (keyed by issuer + sub), the role mapped from the
// groups claim at every sign-in, so a user taken out of the admin group is no longer admin from this login on.
export async function ssoLogin(settings: OidcSettings, identity: OidcIdentity, context: LoginContext) {
  const groups = groupsFromClaims(identity.claims, settings.groupsClaim);
  const role = roleFromGroups(groups, settings.roleMap);
  const db = getDb();
  const existing = await db.user.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
  });
  if (!role) {
    throw await refuse(
      identity,
      context,
      "no-role-mapped",
      ssoRefused(
        "sso_no_role",
        `None of your groups (${groups.join(", ") || "none"}) is given a DAXboard role; ` +
          `ask an admin to add you to a group listed in DAXBOARD_OIDC_ROLE_MAP.`,
      ),
      existing?.id,
    );
  }
  if (existing?.disabled) {
    throw await refuse(
      identity,
      context,
      "disabled",
      ssoRefused("sso_disabled", "This account is disabled."),
      existing.id,
    );
  }
  const user = existing ? await updateUser(existing.id, identity, role) : await createUser(identity, role, context);
  const session = await createSession(user.id);
  const actor: Actor = { kind: "user", id: user.id, label: user.email, role: user.role, displayName: user.displayName };
  await recordAudit(actor, {
    action: "user.login",
    targetType: "user",
    targetId: user.id,
    detail: {
      address: context.address,
      method: "oidc",
      issuer: identity.issuer,
      groups,
      ...(existing && existing.role !== role ? { role: { old: existing.role, new: role } } : {}),
    },
  });
  return { user: { id: user.id, email: user.email, role: user.role, displayName: user.displayName }, session };
}

function displayNameOf(identity: OidcIdentity): string {
  return text(identity.claims.name) ?? text(identity.claims.preferred_username) ?? emailOf(identity).split("@")[0];
}

async function updateUser(id: string, identity: OidcIdentity, role: Role) {
  return getDb().user.update({ where: { id }, data: { role, displayName: displayNameOf(identity) } });
}

// A local account with the same email is not taken over: the IdP would otherwise decide who owns it.
async function createUser(identity: OidcIdentity, role: Role, context: LoginContext) {
  const email = emailOf(identity);
  const db = getDb();
  if (await db.user.findUnique({ where: { email } })) {
    throw await refuse(
      identity,
      context,
      "email-taken",
      ssoRefused(
        "sso_email_taken",
        `A DAXboard account with the email ${email} exists already and was not created by single sign-on; ` +
          `an admin must delete or rename it before you can sign in with the identity provider.`,
      ),
    );
  }
  const user = await db.user.create({
    data: {
      email,
      displayName: displayNameOf(identity),
      role,
      passwordHash: null,
      oidcIssuer: identity.issuer,
      oidcSubject: identity.subject,
    },
  });
  await recordAudit(ssoActor, {
    action: "user.create",
    targetType: "user",
    targetId: user.id,
    detail: { email, role, method: "oidc", issuer: identity.issuer },
  });
  return user;
}

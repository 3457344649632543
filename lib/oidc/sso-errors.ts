// Why a single sign-on attempt ended on the login page. The callback passes only the code (?sso_error=…), so
// nobody can put words of their choosing on DAXboard's login page; details go to the log and the audit log.
export const SSO_ERRORS = {
  off: "Single sign-on is not configured on this DAXboard.",
  unavailable: "The identity provider could not be reached. Try again in a minute, or tell an admin.",
  expired: "The sign-in took too long or was started in another browser. Start it again.",
  state: "The sign-in answer did not belong to the sign-in this browser started, so it was refused. Start it again.",
  idp_error: "The identity provider did not sign you in.",
  failed: "The identity provider's answer could not be verified, so it was refused. Start the sign-in again.",
  no_role: "None of your groups is given a DAXboard role. Ask an admin to add you to a DAXboard group.",
  disabled: "This account is disabled.",
  email_taken: `A DAXboard account with your email exists already and was not created by single sign-on; an
    admin must delete or rename it before you can sign in with the identity provider.`.replace(/\s+/g, " "),
} as const;

export type SsoErrorCode = keyof typeof SSO_ERRORS;

export function ssoErrorMessage(code: string | null | undefined): string | null {
  return code && Object.hasOwn(SSO_ERRORS, code) ? SSO_ERRORS[code as SsoErrorCode] : null;
}

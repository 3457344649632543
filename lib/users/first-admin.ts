import { getDb } from "../db";
import { config } from "../config";
import { AppError } from "../api/errors";
import { hashPassword } from "../auth/password";
import { systemActor, type Actor } from "../auth/roles";
import { beginAttempt } from "../auth/login-throttle";
import { createSession } from "../auth/sessions";
import { recordAudit } from "../audit/record-audit";
import { log } from "../log";
import { createUser } from "./manage-users";
import { clearSetupCode, ensureSetupCode, printSetupCode, verifySetupCode } from "./setup-code";
import { createUserSchema, type CreateUserInput } from "./user-input";

export async function hasAnyUser(): Promise<boolean> {
  return (await getDb().user.count()) > 0;
}

// First run: with no users, DAXBOARD_ADMIN_EMAIL/PASSWORD create the admin; otherwise the /setup page does.
export async function bootstrapAdminFromEnv(): Promise<void> {
  const email = config.adminEmail();
  const password = config.adminPassword();
  if (!email || !password || (await hasAnyUser())) return;
  const input = createUserSchema.parse({ email, password, displayName: "Administrator", role: "admin" });
  await createUser(systemActor("bootstrap"), input);
  log.info({ email: input.email }, "created the first admin from DAXBOARD_ADMIN_EMAIL");
}

// At server start (instrumentation.ts): while no user exists, print the setup code on the console; once one
// does, remove the code. Returns the code, or null when DAXboard is set up.
export async function announceSetupCode(print?: (line: string) => void): Promise<string | null> {
  if (await hasAnyUser()) {
    clearSetupCode();
    return null;
  }
  const { code } = ensureSetupCode();
  printSetupCode(code, print);
  return code;
}

// For the setup page: makes (and prints) a code if the server started without one, e.g. its file was removed.
export function setupCodeReady(): void {
  const { code, created } = ensureSetupCode();
  if (created) printSetupCode(code);
}

const setupDone = () =>
  new AppError("setup_done", "DAXboard is already set up: log in, or ask an admin for an account.", 409);
const anonymous: Actor = { kind: "system", id: null, label: "anonymous", role: "viewer" };

// The one-time setup: the code from the server console, then the first admin and their session. Wrong codes are
// throttled per address like passwords; the setup is refused as soon as any user exists.
export async function setUpFirstAdmin(input: CreateUserInput & { setupCode: string }, address: string | null) {
  if (await hasAnyUser()) throw setupDone();
  const attempt = await beginAttempt(address ? [{ scope: "address", id: address }] : []);
  if (!verifySetupCode(input.setupCode)) {
    setupCodeReady();
    await attempt.failed();
    await recordAudit(anonymous, { action: "setup.code-failed", detail: { address } });
    throw new AppError(
      "setup_code",
      "The setup code is wrong: use the one-time code printed on the server console when DAXboard started.",
      403,
      "setupCode",
    );
  }
  await attempt.succeeded();
  const passwordHash = await hashPassword(input.password);
  const user = await getDb().$transaction(async (tx) => {
    // An advisory lock makes two racing setups safe: the second sees the first's user.
    await tx.$executeRaw`select pg_advisory_xact_lock(7213001)`;
    if ((await tx.user.count()) > 0) throw setupDone();
    const created = await tx.user.create({
      data: { email: input.email, displayName: input.displayName, role: "admin", passwordHash },
      select: { id: true, email: true, role: true, displayName: true },
    });
    await recordAudit(
      systemActor("setup"),
      {
        action: "user.create",
        targetType: "user",
        targetId: created.id,
        detail: { email: created.email, role: "admin", address },
      },
      tx,
    );
    return created;
  });
  clearSetupCode();
  const session = await createSession(user.id);
  return { user, session };
}

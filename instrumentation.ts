// Runs once when the Next.js server starts (Node runtime): creates the first admin from the environment.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrapAdminFromEnv } = await import("./lib/users/first-admin");
  await bootstrapAdminFromEnv();
}

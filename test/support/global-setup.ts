import { createTestDatabase, startTestServer } from "./test-database";

// Vitest global setup: a fresh migrated database for this run, on DATABASE_URL's server or an embedded one.
// test/run.ts passes DAXBOARD_TEST_DATABASE_URL when it already made one.
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.DAXBOARD_TEST_DATABASE_URL) {
    process.env.DATABASE_URL = process.env.DAXBOARD_TEST_DATABASE_URL;
    return async () => {};
  }
  const server = await startTestServer();
  const db = await createTestDatabase(server.baseUrl);
  process.env.DAXBOARD_TEST_SERVER_URL = server.baseUrl;
  process.env.DAXBOARD_TEST_DATABASE_URL = db.url;
  process.env.DATABASE_URL = db.url;
  return async () => {
    await db.drop();
    await server.stop();
  };
}

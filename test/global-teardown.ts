// Jest globalTeardown: stops the PostgreSQL server test/global-setup.ts started, if it started one, and restores
// AUDITDRAIN_TEST_POSTGRES_URL (so a following run in the same process, e.g. in watch mode, starts a fresh server).
export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__AUDITDRAIN_PG__;
  if (!started) return;
  globalThis.__AUDITDRAIN_PG__ = undefined;
  if (started.previousUrl === undefined) delete process.env.AUDITDRAIN_TEST_POSTGRES_URL;
  else process.env.AUDITDRAIN_TEST_POSTGRES_URL = started.previousUrl;
  await started.server.stop();
}

// Jest globalSetup: provides the PostgreSQL server the api:postgresql project runs against.
//
// - AUDITDRAIN_TEST_POSTGRES_URL already set: that server is used, nothing is started.
// - Only projects that need no database selected (schema, control-plane): nothing is started.
// - Otherwise a throwaway PostgreSQL is started (test/services/src/postgres.ts); its URL goes into
//   AUDITDRAIN_TEST_POSTGRES_URL, which the test workers inherit, and test/global-teardown.ts stops it
//   (globalSetup and globalTeardown run in the same process, hence globalThis.__AUDITDRAIN_PG__).
import type { Config } from '@jest/types';
import { redact, startPostgres } from './services/src/postgres';

/** Projects whose tests never touch PostgreSQL. */
const PROJECTS_WITHOUT_POSTGRES = new Set(['schema', 'control-plane', 'api:sqlite', 'test-services', 'provider', 'terraform', 'docs', 'faults', 'browser']);

type GlobalConfig = Config.GlobalConfig;

export default async function globalSetup(globalConfig: GlobalConfig): Promise<void> {
  const external = process.env.AUDITDRAIN_TEST_POSTGRES_URL;
  if (external) {
    log(`using the PostgreSQL server from AUDITDRAIN_TEST_POSTGRES_URL (${redact(external)})`);
    return;
  }
  const selection = await selectedProjects(globalConfig);
  if (selection.every((name) => name !== undefined && PROJECTS_WITHOUT_POSTGRES.has(name))) {
    log(`PostgreSQL not started: no selected project needs it (${selection.join(', ') || 'none'})`);
    return;
  }
  const started = Date.now();
  const server = await startPostgres();
  globalThis.__AUDITDRAIN_PG__ = { server, previousUrl: external };
  process.env.AUDITDRAIN_TEST_POSTGRES_URL = server.url;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`PostgreSQL ${server.version} started for the tests at ${server.url} (in ${seconds}s, directory ${server.dir})`);
}

/**
 * Display names of the projects this run covers; undefined stands for a project whose name is not known here
 * (a project given as a path to its own config), which counts as needing PostgreSQL.
 *
 * jest does not put --selectProjects / --ignoreProjects into globalConfig (only into its CLI argv), so when they
 * are absent there they are read from the command line.
 */
async function selectedProjects(globalConfig: GlobalConfig): Promise<Array<string | undefined>> {
  const config = globalConfig as GlobalConfig & { selectProjects?: string[]; ignoreProjects?: string[] };
  let select = config.selectProjects;
  let ignore = config.ignoreProjects;
  if (!select && !ignore) ({ select, ignore } = await selectionFromCommandLine());
  const all = (globalConfig.projects ?? []).map(displayNameOf);
  const names: Array<string | undefined> = select ?? (all.length > 0 ? all : [undefined]);
  return ignore ? names.filter((name) => name === undefined || !ignore.includes(name)) : names;
}

async function selectionFromCommandLine(): Promise<{ select?: string[]; ignore?: string[] }> {
  // Only when this process is the jest CLI; when jest runs embedded (runCLI) the arguments are someone else's.
  if (!/jest/i.test(process.argv[1] ?? '')) return {};
  const args = process.argv.slice(2);
  const valuesOf = (flag: string): string[] | undefined => {
    const out: string[] = [];
    let found = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg.startsWith(`${flag}=`)) {
        found = true;
        out.push(arg.slice(flag.length + 1));
      } else if (arg === flag) {
        found = true;
        // A flag takes every following word up to the next option or `--`.
        while (i + 1 < args.length && !(args[i + 1] as string).startsWith('-')) out.push(args[++i] as string);
      }
    }
    return found ? out : undefined;
  };
  const select = valuesOf('--selectProjects');
  const ignore = valuesOf('--ignoreProjects');
  return { ...(select ? { select } : {}), ...(ignore ? { ignore } : {}) };
}

function displayNameOf(project: unknown): string | undefined {
  if (!project || typeof project !== 'object' || !('displayName' in project)) return undefined;
  const { displayName } = project as { displayName?: unknown };
  if (typeof displayName === 'string') return displayName;
  if (displayName && typeof displayName === 'object' && 'name' in displayName) {
    const { name } = displayName as { name?: unknown };
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

function log(message: string): void {
  process.stderr.write(`[auditdrain] ${message}\n`);
}

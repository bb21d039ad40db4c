/**
 * Synthesizes the CDKTF example (examples/cdktf, built by `npm run build`) into a Terraform workspace: with the
 * `cdktf` CLI, as a user does, or on CDK Terrain (`cdktn`), the maintained fork of CDKTF.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Workspace } from './terraform';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const EXAMPLE_DIR = path.join(ROOT, 'examples', 'cdktf');
const APP = path.join(EXAMPLE_DIR, 'dist', 'main.js');
const CDKTF_CLI = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const CDKTN_AS_CDKTF = path.join(__dirname, 'cdktn-as-cdktf.js');
/** The stack's id in main.ts: its directory under `<outdir>/stacks/`. */
export const STACK = 'auditdrain';

export interface SynthResult {
  /** The stack's directory relative to the workspace, where terraform runs. */
  stackDir: string;
  /** The synthesized Terraform JSON, as written. */
  json: string;
  output: string;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, TMPDIR: process.env.TMPDIR ?? '/tmp', CHECKPOINT_DISABLE: '1', CI: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

function result(ws: Workspace, outdir: string, output: string): SynthResult {
  const stackDir = path.join(outdir, 'stacks', STACK);
  return { stackDir, json: fs.readFileSync(path.join(ws.dir, stackDir, 'cdk.tf.json'), 'utf8'), output };
}

/**
 * `cdktf synth` in the workspace, whose cdktf.json is the example's with the app's path made absolute (so that the
 * state file, which the local backend keeps beside cdktf.json, is the workspace's and not the checkout's).
 */
export async function cdktfSynth(ws: Workspace, env: Record<string, string>): Promise<SynthResult> {
  if (!fs.existsSync(APP)) throw new Error('examples/cdktf/dist/main.js is missing: run `npm run build` first');
  const config = JSON.parse(fs.readFileSync(path.join(EXAMPLE_DIR, 'cdktf.json'), 'utf8')) as { app: string };
  if (config.app !== 'node dist/main.js') throw new Error(`examples/cdktf/cdktf.json runs "${config.app}", not the built main.js`);
  fs.writeFileSync(path.join(ws.dir, 'cdktf.json'), JSON.stringify({ ...config, app: `node ${APP}` }, null, 2));
  const output = await run(CDKTF_CLI, ['synth', '--output', 'cdktf.out'], ws.dir, env);
  return result(ws, 'cdktf.out', output);
}

/**
 * `cdktf deploy` or `cdktf destroy` of the stack, in the workspace `cdktfSynth` prepared: the CLI synthesizes again
 * and runs terraform itself (`--skip-provider-lock`: offline, the lock file cannot list every platform's hashes).
 */
export async function cdktfCommand(ws: Workspace, command: 'deploy' | 'destroy', env: Record<string, string>): Promise<string> {
  return run(CDKTF_CLI, [command, STACK, '--skip-provider-lock', '--auto-approve', '--output', 'cdktf.out'], ws.dir, env);
}

/**
 * The same app on CDK Terrain: run as its CLI runs it (the app command, with CDKTF_OUTDIR naming the output
 * directory), with `cdktf` resolved to `cdktn`. The cdktn CLI itself needs Node 22.19 or newer, so it is not used here.
 */
export async function cdktnSynth(ws: Workspace, env: Record<string, string>): Promise<SynthResult> {
  const outdir = 'cdktn.out';
  const output = await run(process.execPath, ['--require', CDKTN_AS_CDKTF, APP], ws.dir, { ...env, CDKTF_OUTDIR: path.join(ws.dir, outdir) });
  return result(ws, outdir, output);
}

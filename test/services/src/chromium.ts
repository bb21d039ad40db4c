// Debian's Chromium for browser tests: found on the PATH, or installed with apt-get when missing and running as
// root (a test tool's own browser download cannot work here). Launched headless with the flags below.
import { aptInstall, findExecutable, isRoot } from './process';

/** Headless, no sandbox (tests may run as root), and nothing that reaches out to the network by itself. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function chromiumPath(): string {
  const found = findExecutable('chromium') ?? findExecutable('chromium-browser');
  if (found) return found;
  if (!isRoot()) {
    throw new Error('Chromium was not found on the PATH and can only be installed automatically as root: `sudo apt-get install chromium`.');
  }
  process.stderr.write('[auditdrain] Chromium not found; installing it with apt-get...\n');
  aptInstall('Chromium', [['chromium']]);
  const installed = findExecutable('chromium');
  if (!installed) throw new Error('apt-get installed chromium, but `chromium` is still not on the PATH');
  return installed;
}

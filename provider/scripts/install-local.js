#!/usr/bin/env node
// Installs this checkout's provider into a local filesystem mirror, so that `terraform init` finds
// `auditdrain/auditdrain` without a registry. The entry is a small script that starts the provider of this checkout
// (run `npm run build` first, and again after changing it: the mirror entry needs no reinstall).
//
//   node provider/scripts/install-local.js            into ~/.terraform.d/plugins, a mirror Terraform always searches
//   node provider/scripts/install-local.js <dir>      into <dir>: name it with `terraform init -plugin-dir=<dir>` or a
//                                                     filesystem_mirror block in the CLI configuration
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PROVIDER_DIR = path.resolve(__dirname, '..');
const { version } = require('../package.json');
const HOSTNAME = 'registry.terraform.io';
const NAMESPACE = 'auditdrain';
const TYPE = 'auditdrain';

/** Terraform's name for this machine's platform, e.g. linux_amd64. */
function terraformPlatform(platform = process.platform, arch = process.arch) {
  const osName = { win32: 'windows' }[platform] ?? platform;
  const archName = { x64: 'amd64', ia32: '386', arm: 'arm' }[arch] ?? arch;
  return `${osName}_${archName}`;
}

/** The directory Terraform searches without being told (its "implied local mirror"), per user. */
function defaultMirrorDir() {
  return process.platform === 'win32'
    ? path.join(process.env.APPDATA ?? os.homedir(), 'terraform.d', 'plugins')
    : path.join(os.homedir(), '.terraform.d', 'plugins');
}

/**
 * Writes the mirror entry (the unpacked layout: <host>/<namespace>/<type>/<version>/<os_arch>/terraform-provider-<type>_v<version>)
 * and returns its path. Writing it again is harmless.
 */
function installLocal(mirrorDir = defaultMirrorDir()) {
  if (process.platform === 'win32') throw new Error('the provider is started by a POSIX shell script; use WSL on Windows');
  const entryDir = path.join(path.resolve(mirrorDir), HOSTNAME, NAMESPACE, TYPE, version, terraformPlatform());
  fs.mkdirSync(entryDir, { recursive: true });
  const entry = path.join(entryDir, `terraform-provider-${TYPE}_v${version}`);
  const target = path.join(PROVIDER_DIR, 'terraform-provider-auditdrain');
  const quoted = `'${target.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(entry, `#!/bin/sh\n# Starts the auditdrain provider of the checkout it was installed from.\nexec ${quoted} "$@"\n`, { mode: 0o755 });
  fs.chmodSync(entry, 0o755);
  return entry;
}

module.exports = { installLocal };

if (require.main === module) {
  const entry = installLocal(process.argv[2]);
  if (!fs.existsSync(path.join(PROVIDER_DIR, 'dist', 'main.js'))) {
    console.error('note: provider/dist/main.js does not exist yet; run `npm run build` before terraform uses it');
  }
  console.log(`installed ${NAMESPACE}/${TYPE} ${version} for ${terraformPlatform()} at ${entry}`);
}

#!/usr/bin/env node
// Release flow: checks that the published packages move in lockstep and that CHANGELOG.md describes the
// version, builds, packs every tarball into release/, then publishes (or, with --dry-run, only rehearses).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dryRun = process.argv.includes('--dry-run');

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.json.private);
const versions = new Set(packages.map((p) => p.json.version));
// auth and odps-client are released together (design.md §9): one version for every published package.
if (versions.size !== 1) fail(`packages disagree on the version: ${packages.map((p) => `${p.json.name}@${p.json.version}`).join(', ')}`);
const [version] = versions;
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
if (!new RegExp(`^## ${version.replace(/\./g, '\\.')}\\b`, 'm').test(changelog)) fail(`CHANGELOG.md has no "## ${version}" section`);

const only = packages.flatMap((p) => ['--filter', p.json.name]);
const run = (args) => execFileSync('pnpm', args, { cwd: root, stdio: 'inherit' });
run(['build']);
const out = join(root, 'release');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
run(['-r', ...only, 'pack', '--pack-destination', out]);
console.log(`release: packed ${readdirSync(out).join(', ')} into release/`);
run(['-r', ...only, 'publish', '--access', 'public', '--no-git-checks', ...(dryRun ? ['--dry-run'] : [])]);
console.log(dryRun ? `release: dry run of ${version} done; nothing was published` : `release: published ${version}`);

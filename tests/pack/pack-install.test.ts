// Packs the published packages, installs the tarballs into a plain project outside the workspace and runs
// the quick start there (ESM and require()), the `odps` bin, and the type checker in both resolution modes.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const STORE = join(ROOT, 'node_modules', '.pnpm');
const PUBLISHED = ['auth', 'odps-client', 'emulator', 'cli'];

// The child processes get a clean environment: no real credentials, no metadata service, no CLI profile.
const ENV = {
  PATH: process.env.PATH ?? '',
  HOME: tmpdir(),
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
};

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

function tarballManifest(dir: string, file: string): Promise<Manifest> {
  return run('tar', ['-xzOf', join(dir, file), 'package/package.json']).then((r) => JSON.parse(r.stdout) as Manifest);
}

/**
 * Third-party dependencies resolve to the exact versions already in the workspace's store (`link:`),
 * so the install needs no registry: tests reach loopback only. The tarballs themselves install as
 * real packages, which is what this test is about (files, exports, bins, dependency declarations).
 */
function storeLink(name: string, version: string): string {
  const dir = join(STORE, `${name.replace('/', '+')}@${version}`, 'node_modules', name);
  if (!existsSync(dir)) throw new Error(`${name}@${version} is declared by a tarball but not in the workspace store`);
  return `link:${dir}`;
}

describe('packed tarballs install and run outside the workspace', () => {
  let work = '';
  let project = '';
  /** The same install without @odps-ts/emulator: what a user who only talks to MaxCompute gets. */
  let lean = '';
  const tarballs = new Map<string, string>();

  beforeAll(async () => {
    for (const p of PUBLISHED) {
      if (!existsSync(join(ROOT, 'packages', p, 'dist', 'index.js'))) throw new Error(`packages/${p} is not built: run pnpm build first`);
    }
    work = mkdtempSync(join(tmpdir(), 'odps-ts-pack-'));
    const packs = join(work, 'tarballs');
    await run('pnpm', ['-r', ...PUBLISHED.flatMap((p) => ['--filter', `./packages/${p}`]), 'pack', '--pack-destination', packs], { cwd: ROOT });
    const overrides: Record<string, string> = {};
    for (const file of readdirSync(packs)) {
      const manifest = await tarballManifest(packs, file);
      tarballs.set(manifest.name, file);
      overrides[manifest.name] = `file:${join(packs, file)}`;
    }
    for (const file of tarballs.values()) {
      for (const [dep, range] of Object.entries((await tarballManifest(packs, file)).dependencies ?? {})) {
        if (!dep.startsWith('@odps-ts/')) overrides[dep] = storeLink(dep, range);
      }
    }
    project = join(work, 'app');
    await run('mkdir', ['-p', project]);
    const dependencies = Object.fromEntries([...tarballs.keys()].map((n) => [n, overrides[n]!]));
    dependencies['@types/node'] = storeLink('@types/node', JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies['@types/node']);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies, pnpm: { overrides } }, null, 2));
    await run('pnpm', ['install', '--offline', '--ignore-workspace', '--config.confirmModulesPurge=false'], { cwd: project, env: { ...ENV, CI: 'true' } });
    lean = join(work, 'lean');
    await run('mkdir', ['-p', lean]);
    const { '@odps-ts/emulator': _emulator, ...leanDeps } = dependencies;
    writeFileSync(join(lean, 'package.json'), JSON.stringify({ name: 'lean', private: true, type: 'module', dependencies: leanDeps, pnpm: { overrides } }, null, 2));
    await run('pnpm', ['install', '--offline', '--ignore-workspace', '--config.confirmModulesPurge=false'], { cwd: lean, env: { ...ENV, CI: 'true' } });
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships LICENSE, README and dist, but no tsbuildinfo or workspace: ranges', async () => {
    expect([...tarballs.keys()].sort()).toEqual(PUBLISHED.map((p) => `@odps-ts/${p}`).sort());
    for (const file of tarballs.values()) {
      const { stdout } = await run('tar', ['-tzf', join(work, 'tarballs', file)]);
      const files = stdout.split('\n');
      expect(files).toContain('package/LICENSE');
      expect(files).toContain('package/README.md');
      expect(files).toContain('package/dist/index.js');
      expect(files.filter((f) => f.includes('tsbuildinfo'))).toEqual([]);
      expect(JSON.stringify(await tarballManifest(join(work, 'tarballs'), file))).not.toContain('workspace:');
    }
  });

  it('runs the quick start (ESM) against the emulator', async () => {
    writeFileSync(
      join(project, 'quick-start.js'),
      `import { CredentialProviderAccount } from '@odps-ts/auth';
import { ODPS } from '@odps-ts/odps-client';
import { startEmulator } from '@odps-ts/emulator';
const emulator = await startEmulator({ port: 0 });
process.env.ALIBABA_CLOUD_CREDENTIALS_URI = emulator.credentialsUri;
const odps = new ODPS({ account: new CredentialProviderAccount(), project: emulator.project, endpoint: emulator.endpoint });
const names = [];
for await (const table of odps.tables.list()) names.push(table.name);
const inst = await odps.executeSql('select 40 + 2 as answer');
const rows = [];
for await (const row of inst.openReader()) rows.push(row);
console.log(JSON.stringify({ names, answer: String(rows[0][0]) }));
await odps.close();
await emulator.close();
`,
    );
    const { stdout } = await run('node', ['quick-start.js'], { cwd: project, env: ENV });
    const out = JSON.parse(stdout) as { names: string[]; answer: string };
    expect(out.names.length).toBeGreaterThan(0);
    expect(out.answer).toBe('42');
  });

  it('loads with require() (CommonJS callers, Node >= 20.19)', async () => {
    writeFileSync(
      join(project, 'require.cjs'),
      `const { ODPS } = require('@odps-ts/odps-client');
const { AliyunAccount } = require('@odps-ts/auth');
console.log(typeof ODPS, typeof AliyunAccount);
`,
    );
    const { stdout } = await run('node', ['require.cjs'], { cwd: project, env: ENV });
    expect(stdout.trim()).toBe('function function');
  });

  it('installs working bins', async () => {
    const odps = await run(join(project, 'node_modules', '.bin', 'odps'), ['--help'], { cwd: project, env: ENV });
    expect(odps.stdout).toMatch(/Usage: odps/);
    const emulator = await run(join(project, 'node_modules', '.bin', 'odps-emulator'), ['--help'], { cwd: project, env: ENV });
    expect(emulator.stdout).toMatch(/Usage: odps-emulator/);
  });

  it('declares the emulator as an optional peer of the CLI, not a dependency', async () => {
    const cli = await tarballManifest(join(work, 'tarballs'), tarballs.get('@odps-ts/cli')!);
    expect(Object.keys(cli.dependencies ?? {})).not.toContain('@odps-ts/emulator');
    expect(Object.keys(cli.peerDependencies ?? {})).toContain('@odps-ts/emulator');
    expect(cli.peerDependenciesMeta?.['@odps-ts/emulator']?.optional).toBe(true);
  });

  it('runs the CLI without the emulator installed (no DuckDB), and `odps emulator` says what to install', async () => {
    const store = join(lean, 'node_modules', '.pnpm');
    expect(readdirSync(store).filter((d) => d.startsWith('@odps-ts+emulator') || d.startsWith('@duckdb'))).toEqual([]);
    const bin = join(lean, 'node_modules', '.bin', 'odps');
    const help = await run(bin, ['--help'], { cwd: lean, env: ENV });
    expect(help.stdout).toMatch(/Usage: odps/);
    const failed = await run(bin, ['emulator'], { cwd: lean, env: ENV }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('install @odps-ts/emulator to use odps emulator');
    expect(failed.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it.each(['nodenext', 'bundler'])('type-checks a consumer with moduleResolution %s', async (resolution) => {
    const dir = join(project, `ts-${resolution}`);
    await run('mkdir', ['-p', dir]);
    writeFileSync(
      join(dir, 'main.ts'),
      `import { CredentialProviderAccount } from '@odps-ts/auth';
import { ODPS, type Row } from '@odps-ts/odps-client';
import { startEmulator } from '@odps-ts/emulator';
export async function main(): Promise<Row[]> {
  const emulator = await startEmulator({ port: 0 });
  const odps = new ODPS({ account: new CredentialProviderAccount(), project: emulator.project, endpoint: emulator.endpoint });
  const rows: Row[] = [];
  for await (const row of (await odps.executeSql("select 1")).openReader()) rows.push(row);
  return rows;
}
`,
    );
    const module = resolution === 'bundler' ? 'preserve' : 'nodenext';
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module, moduleResolution: resolution, target: 'es2022', types: ['node'], skipLibCheck: true }, files: ['main.ts'] }),
    );
    await run('node', [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir, env: ENV });
  });
});

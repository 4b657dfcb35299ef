#!/usr/bin/env node
/**
 * Packs the `opstrails` command into one self-contained tarball: `npm install -g <tarball>`
 * then works offline. The workspace packages it needs (@opstrails/core, sdk, server, and the
 * built console) are not on any registry, so they travel inside it as bundled dependencies,
 * together with every third-party runtime dependency copied from this clone's node_modules
 * (better-sqlite3 with the native binary built here). The tarball therefore runs on the
 * platform and Node major it was packed on; elsewhere, pack it there or install from a clone.
 *
 * Usage: node scripts/pack-cli.mjs [destination directory]   (run `npm run build` first)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const destination = resolve(process.argv[2] ?? root);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The workspace packages that go in, by name, with the files each one ships. */
const WORKSPACE = {
  '@opstrails/core': 'packages/core',
  '@opstrails/sdk': 'packages/sdk',
  '@opstrails/server': 'packages/server',
  '@opstrails/console': 'packages/console',
};

for (const [name, dir] of Object.entries({ ...WORKSPACE, '@opstrails/cli': 'packages/cli' })) {
  const built = name === '@opstrails/console' ? 'dist/index.html' : 'dist';
  if (!existsSync(join(root, dir, built))) {
    console.error(`${name} is not built (${dir}/${built} is missing): run \`npm run build\` first`);
    process.exit(1);
  }
}

const stage = mkdtempSync(join(tmpdir(), 'opstrails-pack-'));
const cli = readJson(join(root, 'packages/cli/package.json'));
for (const file of [...cli.files, 'package.json', 'README.md', 'LICENSE']) {
  cpSync(join(root, 'packages/cli', file), join(stage, file), { recursive: true });
}

/** Where Node would find `name` when required from `fromDir` (this clone's node_modules layout). */
function locate(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return null;
  }
}

/** Where a package found in this clone goes in the tarball, keeping its place relative to its users. */
function stagedPath(source) {
  const path = relative(root, source);
  const inWorkspace = Object.entries(WORKSPACE).find(([, dir]) => path.startsWith(`${dir}/node_modules/`));
  if (inWorkspace) return join(stage, 'node_modules', inWorkspace[0], path.slice(inWorkspace[1].length + 1));
  if (path.startsWith('packages/cli/node_modules/')) return join(stage, path.slice('packages/cli/'.length));
  return join(stage, path);
}

// Copy the runtime dependency closure: workspace packages as their package.json + dist (their
// own dependencies followed like any other), third-party packages whole. Packages are copied at
// their path relative to the clone's root, so nested node_modules keep resolving as they do here.
const bundled = new Set();
const seen = new Set();
const queue = Object.keys(cli.dependencies).map((name) => [name, join(root, 'packages/cli')]);
queue.push(['@opstrails/console', join(root, 'packages/cli')]);
while (queue.length > 0) {
  const [name, fromDir] = queue.shift();
  const workspaceDir = WORKSPACE[name];
  const source = workspaceDir ? join(root, workspaceDir) : locate(name, fromDir);
  if (!source) {
    console.error(`cannot find ${name} (needed from ${relative(root, fromDir)}): run \`npm install\``);
    process.exit(1);
  }
  if (seen.has(source)) continue;
  seen.add(source);
  const manifest = readJson(join(source, 'package.json'));
  const target = workspaceDir ? join(stage, 'node_modules', name) : stagedPath(source);
  if (workspaceDir) {
    mkdirSync(target, { recursive: true });
    cpSync(join(source, 'dist'), join(target, 'dist'), { recursive: true });
    // The console is static files: its React dependencies were compiled into dist.
    const { devDependencies, scripts, dependencies, ...rest } = manifest;
    const shipped = name === '@opstrails/console' ? rest : { ...rest, dependencies };
    writeFileSync(
      join(target, 'package.json'),
      `${JSON.stringify({ ...shipped, private: undefined }, null, 2)}\n`,
    );
    if (name !== '@opstrails/console') {
      for (const dep of Object.keys(dependencies ?? {})) queue.push([dep, source]);
    }
  } else {
    if (!existsSync(target)) cpSync(source, target, { recursive: true, dereference: true });
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      if (locate(dep, source)) queue.push([dep, source]);
    }
  }
  const top = relative(join(stage, 'node_modules'), target).split('/');
  if (!top[0].startsWith('..')) bundled.add(top[0].startsWith('@') ? `${top[0]}/${top[1]}` : top[0]);
}

// better-sqlite3 publishes its sources and builds the native module at install; its `files` leave
// the build out. Ship the module built here too, so `npm install -g --ignore-scripts` needs no
// compiler (a plain install still rebuilds it for the target's Node).
const sqlite = join(stage, 'node_modules/better-sqlite3/package.json');
const sqliteManifest = readJson(sqlite);
sqliteManifest.files = [...sqliteManifest.files, 'build/Release/better_sqlite3.node'];
writeFileSync(sqlite, `${JSON.stringify(sqliteManifest, null, 2)}\n`);

const manifest = {
  ...cli,
  dependencies: { ...cli.dependencies, '@opstrails/console': cli.version },
  bundleDependencies: [...bundled].sort(),
};
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

mkdirSync(destination, { recursive: true });
// npm pack prints the file list on stderr and the tarball's name as the last line of stdout.
const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', destination], {
  cwd: stage,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
  maxBuffer: 64 * 1024 * 1024,
});
rmSync(stage, { recursive: true, force: true });
console.log(join(destination, packed.trim().split('\n').at(-1)));

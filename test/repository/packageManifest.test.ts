/**
 * `npm ci` on the Node the README promises prints no warning: every locked package accepts the Node we declare
 * (runtime dependencies `engines.node`, development tools `devEngines`), and every install script is reviewed
 * in `allowScripts` (npm 11 lists the others, npm 12 blocks them).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; hasInstallScript?: boolean; engines?: { node?: string } | string[] }>;
};
const semver = createRequire(__filename)('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };

const lowest = (range: string) => semver.minVersion(range)!.version;
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

test('every runtime dependency accepts the lowest Node of engines.node, every development tool the lowest of devEngines', () => {
  const runtimeNode = lowest(manifest.engines.node);
  const devNode = lowest(manifest.devEngines.runtime.version);
  assert.equal(manifest.devEngines.runtime.name, 'node');
  assert.ok(semver.satisfies(devNode, manifest.engines.node), 'devEngines is within engines');
  const refused: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (!path || !range) continue;
    const node = entry.dev ? devNode : runtimeNode;
    if (!semver.satisfies(node, range)) refused.push(`${nameOf(path)}@${entry.version} wants node ${range}, we declare ${node}${entry.dev ? ' (devEngines)' : ''}`);
  }
  assert.deepEqual(refused, []);
});

test('every package with an install script is approved or denied in allowScripts', () => {
  const reviewed = manifest.allowScripts as Record<string, boolean>;
  const unreviewed = Object.entries(lock.packages)
    .filter(([path, entry]) => path && entry.hasInstallScript)
    .map(([path]) => nameOf(path))
    .filter((name) => !(name in reviewed));
  assert.deepEqual(unreviewed, []);
  for (const name of Object.keys(reviewed)) {
    assert.ok(Object.entries(lock.packages).some(([path, entry]) => nameOf(path) === name && entry.hasInstallScript), `allowScripts names ${name}, which has no install script`);
  }
});

test('the README promises the Node the package declares', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(`Node ${lowest(manifest.devEngines.runtime.version).replace(/\.0$/, '')}+`), 'README names the Node the development tools need');
});

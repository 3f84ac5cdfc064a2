/** Project configuration read from real files: every wrong shape gets a message that names what is wrong. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/core/config';
import { ProjectConfigFinder } from '../../../src/project/configFiles';

function configFrom(file: 'package.json' | 'pyproject.toml', content: string | Buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'initlint-config-'));
  writeFileSync(join(dir, file), content);
  return new ProjectConfigFinder().forFile(join(dir, 'model.py'));
}

const messages = (file: 'package.json' | 'pyproject.toml', content: string | Buffer) => configFrom(file, content).problems.map((problem) => problem.message);

test('a package.json that is null, a string or a list is said to be no object, not "not valid JSON"', () => {
  assert.match(messages('package.json', 'null')[0], /package\.json: must hold a JSON object \(got null\), so its "initlint" settings cannot be read$/);
  assert.match(messages('package.json', '"hello"')[0], /must hold a JSON object \(got "hello"\)/);
  assert.match(messages('package.json', '[1, 2]')[0], /must hold a JSON object \(got a list\)/);
  for (const content of ['null', '"hello"', '[1, 2]']) assert.doesNotMatch(messages('package.json', content)[0], /not valid JSON|Cannot use 'in'/);
  assert.match(messages('package.json', '{"initlint": ')[0], /package\.json: not valid JSON \(/);
});

test('a package.json with a UTF-8 byte-order mark is read like any other', () => {
  const project = configFrom('package.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name": "x", "initlint": {"threshold": 50, "rules": {"recurrent-init": "hint"}}}')]));
  assert.deepEqual(project.problems, []);
  assert.equal(project.config.threshold, 50);
  assert.equal(project.config.rules?.['recurrent-init'], 'hint');
});

test('pyproject.toml: tool = "x" is named as such; threshold = inf and nan are quoted as written', () => {
  assert.match(messages('pyproject.toml', 'tool = "x"\n')[0], /pyproject\.toml: "tool" must be a table \(got "x"\), so \[tool\.initlint\] cannot be read$/);
  assert.match(messages('pyproject.toml', '[tool.initlint]\nthreshold = inf\n')[0], /threshold must be a finite number greater than 1 \(got inf\)$/);
  assert.match(messages('pyproject.toml', '[tool.initlint]\nthreshold = -inf\n')[0], /\(got -inf\)$/);
  assert.match(messages('pyproject.toml', '[tool.initlint]\nthreshold = nan\n')[0], /\(got nan\)$/);
  assert.match(messages('pyproject.toml', '[tool.initlint]\nthreshold = "100"\n')[0], /\(got "100"\)$/);
  assert.match(messages('pyproject.toml', '[tool]\ninitlint = 3\n')[0], /\[tool\.initlint\]: the InitLint configuration must be a table\/object \(got 3\)$/);
  assert.match(messages('pyproject.toml', '[tool.initlint\n')[0], /not valid TOML/);
  // A BOM in TOML too.
  assert.equal(configFrom('pyproject.toml', '\uFEFF[tool.initlint]\nthreshold = 20\n').config.threshold, 20);
});

test('wrong types inside the configuration: each named with what was written', () => {
  const problems = (value: unknown) => parseConfig(value, 'cfg').problems.map((problem) => problem.message);
  assert.deepEqual(problems({ rules: ['symmetric-init'] }), ['cfg: rules must map rule ids to "error", "warning", "info", "hint" or "off" (got a list)']);
  assert.deepEqual(problems({ rules: { 'symmetric-init': 2 } }), ['cfg: rule \'symmetric-init\' must be "error", "warning", "info", "hint" or "off" (got 2)']);
  assert.deepEqual(problems({ rules: { 'symetric-init': 'off' } }), ['cfg: unknown rule \'symetric-init\'; did you mean \'symmetric-init\'?']);
  assert.deepEqual(problems({ 'framework-version': 'latest' }), ['cfg: framework-version must be a table like { keras = "3", tfjs = "4" } (got "latest")']);
  assert.deepEqual(problems({ 'framework-version': { keras: 'three' } }), ['cfg: framework-version.keras must be a version like "3" or "2.15" (got "three")']);
  assert.deepEqual(problems({ 'framework-version': { keras: Infinity } }), ['cfg: framework-version.keras must be a version like "3" or "2.15" (got inf)']);
  assert.deepEqual(problems({ 'framework-version': { torch: '2' } }), ['cfg: framework-version.torch is not understood (known: keras, tfjs)']);
  assert.match(problems({ treshold: 10 })[0], /unknown InitLint setting 'treshold' .*; did you mean 'threshold'\?$/);
  assert.deepEqual(problems(null), ['cfg: the InitLint configuration must be a table/object (got null)']);
  // Good values still apply next to bad ones, 'hint' included.
  const { config } = parseConfig({ threshold: Infinity, rules: { 'recurrent-init': 'hint', 'selu-lecun': true }, 'framework-version': { keras: 2.1 } }, 'cfg');
  assert.deepEqual(config, { rules: { 'recurrent-init': 'hint' }, frameworkVersion: { keras: '2.1', tfjs: '4' } });
});

test('a named pipe called pyproject.toml is passed over, never read (a read would block), and package.json still applies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'initlint-config-'));
  assert.equal(spawnSync('mkfifo', [join(dir, 'pyproject.toml')]).status, 0);
  writeFileSync(join(dir, 'package.json'), '{"initlint": {"threshold": 30}}');
  const project = new ProjectConfigFinder().forFile(join(dir, 'model.py'));
  assert.deepEqual(project.problems, []);
  assert.equal(project.config.threshold, 30);
});

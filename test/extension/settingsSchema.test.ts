/** One settings path: package.json's schema declares exactly the keys of the shared SettingsSection type. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULE_IDS } from '../../src/core/findings';
import { ruleDocumentationCommandUri } from '../../src/protocol/ruleDocumentation';
import { DEFAULT_SETTINGS_SECTION, SETTINGS_KEYS } from '../../src/protocol/settingsSection';
import { readEditorSettings } from '../../src/protocol/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const properties: Record<string, { default?: unknown; properties?: Record<string, unknown> }> = manifest.contributes.configuration.properties;

test('package.json declares exactly the initlint.* keys of SettingsSection', () => {
  assert.deepEqual(Object.keys(properties).sort(), SETTINGS_KEYS.map((key) => `initlint.${key}`).sort());
});

test('the schema defaults are the SettingsSection defaults', () => {
  assert.equal(properties['initlint.enable'].default, DEFAULT_SETTINGS_SECTION.enable);
  assert.equal(properties['initlint.threshold'].default, DEFAULT_SETTINGS_SECTION.threshold);
  assert.deepEqual(properties['initlint.rules'].default, DEFAULT_SETTINGS_SECTION.rules);
  assert.equal(properties['initlint.frameworkVersion'].default, DEFAULT_SETTINGS_SECTION.frameworkVersion);
  assert.equal(properties['initlint.trace.server'].default, DEFAULT_SETTINGS_SECTION.trace.server);
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS_SECTION.varianceCheck)) {
    assert.equal(properties[`initlint.varianceCheck.${key}`].default, value, `initlint.varianceCheck.${key}`);
  }
});

test('the variance check settings stay with the extension: the analysis sees none of them', () => {
  const read = readEditorSettings({ ...DEFAULT_SETTINGS_SECTION, varianceCheck: { batch: 64, seed: 3, memoryBudgetMiB: 256, backend: 'wasm', exportFolder: '/tmp' } }, 'user');
  assert.deepEqual(read.problems, [], 'no "unknown setting" problem');
  assert.equal('varianceCheck' in read.config, false);
});

test('every rule can be set per rule in the schema', () => {
  assert.deepEqual(Object.keys(properties['initlint.rules'].properties ?? {}).sort(), [...RULE_IDS].sort());
});

test('each rule setting links its bundled documentation page, not a web page', () => {
  const rules = properties['initlint.rules'].properties as Record<string, { markdownDescription: string }>;
  for (const id of RULE_IDS) {
    assert.ok(rules[id].markdownDescription.includes(`](${ruleDocumentationCommandUri(id)})`), `${id}: ${rules[id].markdownDescription}`);
  }
  assert.doesNotMatch(JSON.stringify(manifest.contributes), /https?:\/\/[^"]*docs\/rules/);
});

test('in Restricted Mode a workspace cannot choose where exports are written nor raise the probe\'s memory bound', () => {
  const trust = manifest.capabilities.untrustedWorkspaces;
  // VS Code honours restrictedConfigurations only for 'limited' support.
  assert.equal(trust.supported, 'limited');
  assert.deepEqual(trust.restrictedConfigurations, ['initlint.varianceCheck.exportFolder', 'initlint.varianceCheck.memoryBudgetMiB']);
  for (const key of trust.restrictedConfigurations) assert.ok(properties[key], `${key} is not a declared setting`);
});

test('the default section leaves the project configuration in charge', () => {
  const read = readEditorSettings(DEFAULT_SETTINGS_SECTION, 'defaults');
  assert.deepEqual(read, { enable: true, config: { rules: {} }, problems: [] });
});

test('a section the user filled in reaches the analysis config', () => {
  const read = readEditorSettings({ ...DEFAULT_SETTINGS_SECTION, threshold: 50, rules: { 'selu-lecun': 'off' }, frameworkVersion: { keras: '2.1.6' } }, 'user');
  assert.equal(read.config.threshold, 50);
  assert.deepEqual(read.config.rules, { 'selu-lecun': 'off' });
  assert.equal(read.config.frameworkVersion?.keras, '2.1.6');
  assert.deepEqual(read.problems, []);
});

test('the plugin entry tsserver gives a global plugin ({name, global: true}) is not reported as unknown settings', () => {
  const read = readEditorSettings({ name: 'initlint-tsserver-plugin', global: true }, 'tsconfig.json initlint plugin options');
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.config, {});
});

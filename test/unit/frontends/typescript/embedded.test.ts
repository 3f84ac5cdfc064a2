/**
 * An HTML page or a Vue/Svelte component named to InitLint is read as its <script> blocks (embedded.ts): the
 * page's global `tf`, findings at the file's own lines, fixes that edit the script where it is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, models, rules } from '../../../helpers/snippets';
import { LineIndex } from '../../../../src/core/text';
import { languageOf } from '../../../../src/frontends';
import { scriptsOnly } from '../../../../src/frontends/typescript/embedded';

const page = `<!DOCTYPE html>
<html>
<head>
  <script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4/dist/tf.min.js"></script>
  <script type="application/json" id="config">{"units": 128}</script>
  <style>body { margin: 0; }</style>
</head>
<body>
  <script>
    const model = tf.sequential();
    model.add(tf.layers.dense({inputShape: [16], units: 128, activation: 'relu'}));
    for (let i = 0; i < 10; i++) {
      model.add(tf.layers.dense({units: 128, activation: 'relu'}));
    }
    model.add(tf.layers.dense({units: 1}));
  </script>
</body>
</html>
`;

test('an HTML page\'s inline script using the global tf is read: the finding sits at the page\'s own line, its fix edits the script', () => {
  // Real-code audit: a page named to the CLI was read as Python ('All checks passed', nothing read).
  assert.equal(languageOf('demo/index.html'), 'javascript');
  const [finding] = findings(page, 'index.html');
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.equal(new LineIndex(page).positionAt(finding.finding.span.start).line + 1, 13);
  const fixed = applyFix(page, finding.finding);
  // The script's own quotes, not the markup attributes' double ones.
  assert.match(fixed.split('\n')[12], /model\.add\(tf\.layers\.dense\(\{units: 128, activation: 'relu', kernelInitializer: 'heUniform'\}\)\);/);
  assert.equal(fixed.split('\n').length, page.split('\n').length);
  assert.deepEqual(rules(fixed, 'index.html'), []);
});

test('a Vue single-file component\'s <script setup lang="ts"> is read; markup and data blocks are not', () => {
  const component = `<template>
  <button @click="train">Train</button>
</template>

<script setup lang="ts">
import * as tf from '@tensorflow/tfjs';
function build(width: number): tf.Sequential {
  const net = tf.sequential();
  net.add(tf.layers.dense({ inputShape: [8], units: width, activation: 'relu', kernelInitializer: 'zeros' }));
  net.add(tf.layers.dense({ units: 1 }));
  return net;
}
const model = build(32);
</script>

<style scoped>
button { color: red; }
</style>
`;
  assert.deepEqual(models(component, 'Trainer.vue').map((model) => model.layers.length), [2]);
  assert.deepEqual(rules(component, 'Trainer.vue'), ['symmetric-init']);
  assert.deepEqual(findings(component.replace(/<script setup lang="ts">[\s\S]*<\/script>/, '<script type="text/x-template">const m = tf.sequential();</script>'), 'Trainer.vue'), []);
});

test('a Vue Options-API component: its methods and hooks see data() and the other methods on this', () => {
  // Real-code audit: `this.depth` read as undefined (this was the methods object), so the loop added nothing.
  const component = `<script>
import * as tf from '@tensorflow/tfjs';
export default {
  props: ['title'],
  data() {
    return { model: null, depth: 6, width: 64 };
  },
  methods: {
    buildModel() {
      this.model = tf.sequential();
      this.model.add(tf.layers.dense({ units: this.width, inputShape: [16], activation: 'relu' }));
      for (let i = 0; i < this.depth; i++) this.model.add(tf.layers.dense({ units: this.width, activation: 'relu' }));
      this.model.add(tf.layers.dense({ units: 1 }));
    },
  },
  mounted() {
    this.buildModel();
  },
};
</script>
`;
  assert.deepEqual(models(component, 'Trainer.vue').map((model) => model.layers.map((layer) => layer.width)), [[64, 64, 64, 64, 64, 64, 64, 1]]);
  // An object with methods that is no component keeps itself as `this`.
  const agent = `import * as tf from '@tensorflow/tfjs';
const agent = {
  depth: 2,
  build() {
    const model = tf.sequential();
    for (let i = 0; i < this.depth; i++) model.add(tf.layers.dense({ units: 8, inputShape: [8] }));
    return model;
  },
};
agent.build();
`;
  assert.deepEqual(models(agent, 'agent.js').map((model) => model.layers.length), [2]);
});

test('an unclosed <script> leaves nothing after it to read, and the page keeps its length (a scan, not a pattern retried per tag)', () => {
  const page = `<script>const a = 1;</script><p>x</p>${'<script>'.repeat(20000)}const b = 2;`;
  const read = scriptsOnly(page);
  assert.equal(read.length, page.length);
  assert.equal(read.trim(), 'const a = 1;');
  // Tags in any case, a script loaded from elsewhere blanked, line breaks kept.
  const mixed = '<SCRIPT type="module">const c = 3;</Script>\n<script src="tf.min.js"></script>\n<script>\nconst d = 4;\n</script>';
  assert.deepEqual(scriptsOnly(mixed).split('\n').map((line) => line.trim()), ['const c = 3;', '', '', 'const d = 4;', '']);
});

/**
 * `initlint report` reads a file as `check` does, with the project modules it imports: a model built by a class
 * of a sibling module, or layers added by an imported function, are in the table, placed where they are written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tempProject } from '../helpers/tempProject';

const bin = join(resolve(__dirname, '../..'), 'bin/initlint.js');

function initlint(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonLayer {
  kind: string; fanIn: number | null; fanOut: number | null; file?: string; range: { start: { line: number } }; findings: string[];
  /** With --probe. */
  measured?: { forward: { mean: number } };
}
interface JsonModel { name: string; file?: string; range: { start: { line: number } }; layers: JsonLayer[] }

function reportJson(args: string[], cwd: string): JsonModel[] {
  const result = initlint(['report', '--format', 'json', ...args], cwd);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { models: JsonModel[] }).models;
}

/** `fanIn→fanOut@file:line` per layer (file only for a layer written in another module). */
const layerRows = (model: JsonModel) => model.layers.map((layer) => `${layer.fanIn}→${layer.fanOut}@${layer.file ?? ''}:${layer.range.start.line}`);

// The shape of Foster's GDL WGANGP (train.py: `from models.WGANGP import WGANGP`): the class builds the model.
const CRITIC_PY = `from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model


class Critic:
    def __init__(self, input_dim, width, depth):
        self.input_dim = input_dim
        self.width = width
        self.depth = depth
        self._build()

    def _build(self):
        critic_input = Input(shape=(self.input_dim,))
        x = critic_input
        for _ in range(self.depth):
            x = Dense(self.width, activation="relu")(x)
        critic_output = Dense(1)(x)
        self.model = Model(critic_input, critic_output)
`;
const TRAIN_PY = `from models.Critic import Critic

critic = Critic(input_dim=100, width=256, depth=3)
critic.model.compile(optimizer="adam", loss="mse")
`;

test('report: a Keras model built by a class imported from a sibling package is in the table, at the module\'s lines', () => {
  const dir = tempProject({ 'requirements.txt': '', 'models/__init__.py': '', 'models/Critic.py': CRITIC_PY, 'train.py': TRAIN_PY }, 'initlint-report-');
  const [model, ...others] = reportJson(['train.py'], dir);
  assert.deepEqual(others, []);
  assert.equal(model.file, join('models', 'Critic.py'));
  assert.equal(model.range.start.line, 18);
  const critic = join('models', 'Critic.py');
  assert.deepEqual(layerRows(model), [`100→256@${critic}:16`, `256→256@${critic}:16`, `256→256@${critic}:16`, `256→1@${critic}:17`]);
  const text = initlint(['report', 'train.py'], dir);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^self\.model \(keras, functional\) — models\/Critic\.py:18$/m);
  assert.match(text.stdout, /^1 +Dense +models\/Critic\.py:16 +100 +256 +relu /m);
  assert.doesNotMatch(text.stdout, /no Keras or TensorFlow\.js model found/);
});

const BLOCKS_TS = `import * as tf from '@tensorflow/tfjs';

export function addBlock(model: tf.Sequential, units: number, depth: number) {
  for (let i = 0; i < depth; i++) {
    model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: 'glorotUniform' }));
  }
}
`;
const MODEL_TS = `import * as tf from '@tensorflow/tfjs';
import { addBlock } from './blocks';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 128, inputShape: [32], activation: 'relu', kernelInitializer: 'heNormal' }));
addBlock(model, 128, 3);
model.add(tf.layers.dense({ units: 10 }));
`;

test('report: tfjs layers added by a function of ./blocks are in the table, in order, at blocks.ts lines', () => {
  const dir = tempProject({ 'model.ts': MODEL_TS, 'blocks.ts': BLOCKS_TS }, 'initlint-report-');
  const [model] = reportJson(['model.ts'], dir);
  assert.equal(model.file, undefined, 'the model is written in model.ts');
  assert.equal(model.range.start.line, 4);
  assert.deepEqual(layerRows(model), ['32→128@:5', '128→128@blocks.ts:5', '128→128@blocks.ts:5', '128→128@blocks.ts:5', '128→10@:7']);
  assert.deepEqual(model.layers[3].findings, ['relu-glorot-deep'], 'the finding check reports is on the layers');
  const text = initlint(['report', 'model.ts'], dir);
  assert.match(text.stdout, /^model \(tfjs, sequential\) — model\.ts:4$/m);
  assert.match(text.stdout, /^2 +dense +blocks\.ts:5 +128 +128 +relu +glorotUniform /m);
  assert.match(text.stdout, /^5 +dense +7 +128 +10 /m);
  // --probe measures the model as read: the imported layers are built and measured too (×0.5 per glorot ReLU layer).
  const [probed] = reportJson(['model.ts', '--probe', '--backend', 'cpu', '--draws', '1', '--batch', '256'], dir);
  const measured = probed.layers.map((layer) => layer.measured?.forward.mean ?? NaN);
  assert.equal(measured.length, 5);
  for (const index of [2, 3]) assert.ok(Math.abs(measured[index] / measured[index - 1] - 0.5) < 0.1, `layer ${index + 1}: ${measured[index] / measured[index - 1]}`);
});

test('report: an import of no file, or of a module over --max-file-size, still reports what the file builds', () => {
  const model = MODEL_TS.replace("import { addBlock } from './blocks';", "import { addBlock } from './blocks';\nimport { extra } from './missing';");
  // blocks.ts, a long comment added, is over a 500-character cap that model.ts (about 330) is under.
  const dir = tempProject({ 'model.ts': model, 'blocks.ts': `${BLOCKS_TS}// ${'x'.repeat(400)}\n` }, 'initlint-report-');
  assert.deepEqual(layerRows(reportJson(['model.ts'], dir)[0]), ['32→128@:6', '128→128@blocks.ts:5', '128→128@blocks.ts:5', '128→128@blocks.ts:5', '128→10@:8']);
  const capped = initlint(['report', 'model.ts', '--max-file-size', String(500 / 1024 / 1024), '--format', 'json'], dir);
  assert.equal(capped.code, 0, capped.stderr);
  const [only] = (JSON.parse(capped.stdout) as { models: JsonModel[] }).models;
  assert.deepEqual(only.layers.map((layer) => layer.fanIn), [32, 128], 'blocks.ts unread: its layers are not guessed, the file\'s own are there');
  const over = initlint(['report', 'model.ts', '--max-file-size', String(100 / 1024 / 1024)], dir);
  assert.equal(over.code, 0);
  assert.match(over.stderr, /model\.ts: analysis incomplete: .* over the 100 characters size cap \(raise it with --max-file-size\)/);
  const keras = tempProject({ 'train.py': `from models.Critic import Critic\nfrom tensorflow import keras\n\nmodel = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4)])\n` }, 'initlint-report-');
  const [alone] = reportJson(['train.py'], keras);
  assert.deepEqual(layerRows(alone), ['8→4@:4']);
});

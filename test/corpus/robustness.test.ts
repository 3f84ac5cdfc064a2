/**
 * Code being typed is broken code. Thousands of random mutations of the corpus (deleted and inserted
 * characters and tokens, cut files, duplicated lines) must never make extraction or analysis throw.
 * The test's timeout bounds the whole run; the benchmark, not this test, measures speed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeSource } from '../../src/project/analyzeSource';
import { corpusFiles } from './files';

const MUTATIONS_PER_FILE = 160;
const TOKENS = ['(', ')', '[', ']', '{', '}', ',', ':', '=', '.', "'", '"', '#', '//', '/*', '\n', '    ', 'for ', 'in ', 'range(', 'Dense(',
  'layers.', 'tf.layers.dense({', 'kernel_initializer=', 'kernelInitializer: ', "'he_normal'", '...', '*', '**', 'lambda', 'class ', 'def ', '=>', '`', '\\'];

/** A small seeded PRNG so every failure is reproducible from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 5)) {
    case 0: return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 12)));
    case 1: return text.slice(0, at) + TOKENS[Math.floor(random() * TOKENS.length)] + text.slice(at);
    case 2: return text.slice(0, at);
    case 3: {
      const lines = text.split('\n');
      const line = Math.floor(random() * lines.length);
      lines.splice(line, 0, ...lines.slice(line, line + 1 + Math.floor(random() * 3)));
      return lines.join('\n');
    }
    default: return text.slice(0, at) + String.fromCharCode(32 + Math.floor(random() * 95)) + text.slice(at);
  }
}

test('random mutations of the corpus never throw', { timeout: 300_000 }, () => {
  let analysed = 0;
  for (const [fileIndex, file] of corpusFiles.entries()) {
    const original = readFileSync(file, 'utf8');
    const random = prng(fileIndex + 1);
    for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
      let text = original;
      const rounds = 1 + Math.floor(random() * 4);
      for (let round = 0; round < rounds; round++) text = mutate(text, random);
      const analysis = analyzeSource(text, file);
      assert.deepEqual(analysis.internalErrors, [], `mutation ${i} of ${file} (seed ${fileIndex + 1}):\n${text}`);
      analysed++;
    }
  }
  assert.ok(analysed >= 3000, `${analysed} mutations analysed`);
});

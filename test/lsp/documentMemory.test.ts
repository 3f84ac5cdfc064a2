/**
 * A closed document is let go: the server's per-document state (cached analysis, last parse and extraction,
 * model memo, an analysis still running) goes with `forget`, so a huge document closed leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_EDITOR_SETTINGS } from '../../src/protocol/settings';
import { DocumentAnalyses } from '../../src/server/documentAnalyses';
import { kerasControl, kerasHugeFile } from '../robustness/generators';

test('forgetting a document lets go of everything kept for it, an analysis still running included', async () => {
  const analyses = new DocumentAnalyses(async () => DEFAULT_EDITOR_SETTINGS, () => undefined);
  const small = TextDocument.create('file:///small.py', 'python', 1, kerasControl());
  const huge = TextDocument.create('file:///huge.py', 'python', 1, kerasHugeFile(256 * 1024));
  await analyses.get(small);
  const running = analyses.get(huge);
  assert.equal(analyses.keptCount, 2);
  analyses.forget(huge.uri);
  // Closed while its parse was running: the analysis ends without a result, and nothing is kept for it.
  await assert.rejects(running, /cancelled/);
  assert.equal(analyses.keptCount, 1);
  analyses.forget(small.uri);
  assert.equal(analyses.keptCount, 0);
});

/**
 * Editor latency (issue 3 targets): tsserver `semanticDiagnosticsSync` on a large generated TS project with
 * the plugin against the same tsserver without it (ratio ≤ 1.1), and the language server's diagnostics on
 * a 2,000-line Python file (p95 < 50 ms after the first). Run: `node --import tsx bench/editor.ts [tsserver] [lsp]`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeActionRequest } from 'vscode-languageserver-protocol/node';
import { bundleServer, fileUri, LspClient } from '../test/lsp/lspClient';
import { bundlePlugin, TsServer, writeProject } from '../test/tsserver/tsserverClient';
import { generatedKeras, generatedTfjs } from './core';
import { median, percentile, printTable, WARM_UP_MS } from './timing';

const PLAIN_FILES = 150;
const MODEL_FILES = 10;
const EDITS_PER_FILE = 3;

/** Ordinary application code: interfaces, generics, classes — what most files of a tfjs project look like. */
function plainModule(index: number): string {
  const lines = [`import { helper${(index + 1) % PLAIN_FILES} } from './plain${(index + 1) % PLAIN_FILES}';`, ''];
  for (let i = 0; i < 40; i++) {
    lines.push(`export interface Record${i}<T> { id: number; value: T; children: Record${i}<T>[] }`);
    lines.push(`export function transform${i}<T>(record: Record${i}<T>, map: (value: T) => T): Record${i}<T> {`);
    lines.push(`  return { ...record, value: map(record.value), children: record.children.map((child) => transform${i}(child, map)) };`);
    lines.push('}');
  }
  lines.push(`export function helper${index}(value: number): number { return helper${(index + 1) % PLAIN_FILES} === undefined ? value : value + 1; }`);
  return lines.join('\n') + '\n';
}

function generatedProject(): { root: string; files: string[] } {
  const sources: Record<string, string> = {};
  for (let i = 0; i < PLAIN_FILES; i++) sources[`plain${i}.ts`] = plainModule(i);
  for (let i = 0; i < MODEL_FILES; i++) sources[`model${i}.ts`] = generatedTfjs(100);
  const root = writeProject(sources);
  return { root, files: Object.keys(sources).map((name) => join(root, name)) };
}

/** Edits a file (a new first line) and times `semanticDiagnosticsSync` on it. */
async function editAndCheck(server: TsServer, file: string, round: number): Promise<number> {
  await server.request('updateOpen', { changedFiles: [{ fileName: file, textChanges: [{ start: { line: 1, offset: 1 }, end: { line: 1, offset: 1 }, newText: `// edit ${round}\n` }] }] });
  const start = performance.now();
  await server.request('semanticDiagnosticsSync', { file });
  return performance.now() - start;
}

/** Two tsservers side by side, requests alternated, so machine noise hits both alike. */
async function benchTsserver(): Promise<void> {
  const { files } = generatedProject();
  const servers = { without: new TsServer(undefined), with: new TsServer(await bundlePlugin()) };
  const samples = { without: [] as number[], with: [] as number[] };
  const modelSamples = { without: [] as number[], with: [] as number[] };
  for (const server of Object.values(servers)) {
    for (const file of files) server.notify('open', { file });
    for (const file of files) await server.request('semanticDiagnosticsSync', { file }); // warm-up: program and checker
  }
  for (let round = 0; round < EDITS_PER_FILE; round++) {
    for (const file of files) {
      const without = await editAndCheck(servers.without, file, round);
      const withPlugin = await editAndCheck(servers.with, file, round);
      samples.without.push(without);
      samples.with.push(withPlugin);
      if (/model\d+\.ts$/.test(file)) {
        modelSamples.without.push(without);
        modelSamples.with.push(withPlugin);
      }
    }
  }
  for (const server of Object.values(servers)) server.close();
  const sum = (list: number[]) => list.reduce((total, sample) => total + sample, 0);
  console.log(`tsserver semanticDiagnosticsSync after an edit, ${PLAIN_FILES} plain + ${MODEL_FILES} tfjs model files (100 layers each), ${EDITS_PER_FILE} edits per file`);
  printTable([
    ['', 'total ms', 'median ms', 'p95 ms'],
    ['without plugin', sum(samples.without).toFixed(0), median(samples.without).toFixed(2), percentile(samples.without, 95).toFixed(2)],
    ['with plugin', sum(samples.with).toFixed(0), median(samples.with).toFixed(2), percentile(samples.with, 95).toFixed(2)],
  ]);
  console.log(`ratio (total, with / without): ${(sum(samples.with) / sum(samples.without)).toFixed(3)} (target ≤ 1.1)`);
  console.log(`ratio on the tfjs model files alone: ${(sum(modelSamples.with) / sum(modelSamples.without)).toFixed(3)}\n`);
}

/**
 * Two kinds of edit, 40 of each: a comment line added after the code (no statement changes: the server reuses
 * its extraction and model analyses) and a layer's width changed in the middle of the model (the file is
 * interpreted again and the changed model analysed again). Both are held to the target.
 */
async function benchLanguageServer(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'initlint-bench-lsp-'));
  const text = generatedKeras(1995);
  writeFileSync(join(directory, 'model.py'), text);
  const client = new LspClient(await bundleServer());
  await client.initialize();
  const uri = fileUri(directory, 'model.py');
  let start = performance.now();
  await client.open(uri, text);
  await client.diagnostics(uri);
  const first = performance.now() - start;
  const middle = text.indexOf('Dense(', Math.floor(text.length / 2));
  const edits: Record<string, (current: string, i: number) => string> = {
    'comment added after the code': (current, i) => `${current}# edit ${i}\n`,
    'a layer width changed mid-model': (current, i) => `${current.slice(0, middle)}Dense(${300 + (i % 50)}${current.slice(current.indexOf(',', middle))}`,
  };
  const rows = [['after an edit', 'median ms', 'p95 ms']];
  const verdicts: string[] = [];
  for (const [kind, edit] of Object.entries(edits)) {
    // The analysis itself: a code action request right after a change waits for it (no debounce in the way).
    const analysis: number[] = [];
    const published: number[] = [];
    // Warm-up as in timing.ts: a second of edits of this kind before the 40 measured ones (the first few
    // code edits ran the interpreter's and the core's paths for edits while V8 was still compiling them).
    const warmUpEnd = performance.now() + WARM_UP_MS;
    for (let i = 0; performance.now() < warmUpEnd; i++) {
      await client.change(uri, edit(client.texts.get(uri)!, 1000 + i));
      await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
    }
    for (let i = 0; i < 40; i++) {
      const next = edit(client.texts.get(uri)!, i);
      const mark = client.published.length;
      start = performance.now();
      await client.change(uri, next);
      await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
      analysis.push(performance.now() - start);
      await client.diagnostics(uri, mark);
      published.push(performance.now() - start);
    }
    const p95 = percentile(analysis, 95);
    verdicts.push(`${kind}: ${p95.toFixed(1)} ms, ${p95 < 50 ? 'met' : 'missed'}`);
    rows.push([`${kind}: analysis (change → cached result)`, median(analysis).toFixed(1), percentile(analysis, 95).toFixed(1)]);
    rows.push([`${kind}: publishDiagnostics (incl. 150 ms debounce)`, median(published).toFixed(1), percentile(published, 95).toFixed(1)]);
  }
  client.dispose();
  console.log(`language server, ${text.split('\n').length}-line Python file: first diagnostics ${first.toFixed(1)} ms`);
  printTable(rows);
  console.log(`analysis p95 after an edit (target < 50 ms): ${verdicts.join('; ')}\n`);
}

/** `parts`: 'tsserver', 'lsp' or both. */
export async function benchEditor(parts: string[] = ['tsserver', 'lsp']): Promise<void> {
  if (parts.includes('tsserver')) await benchTsserver();
  if (parts.includes('lsp')) await benchLanguageServer();
}

if (require.main === module) void benchEditor(process.argv.length > 2 ? process.argv.slice(2) : undefined);

/**
 * Analysis time on realistic model code (bench/realCode/: training loops, RL agents, data pipelines) against
 * the parse floor of the same files with the same parsers (TypeScript's createSourceFile, Lezer Python),
 * measured in the same run (issue 14 target: ≤ 2× the parse floor over the corpus). The floor is the parse the
 * front ends make themselves (no parent pointers for TypeScript); the analysis is the shipped bundle (shipped.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parser as pythonParser } from '@lezer/python';
import { shippedAnalyzeSource } from './shipped';
import { median, printTable, time } from './timing';

const CORPUS = join(__dirname, 'realCode');
const RUNS = 25;

export function benchRealCode(): void {
  const analyzeSource = shippedAnalyzeSource();
  const rows: string[][] = [['file', 'lines', 'parse ms', 'whole ms', 'ratio', 'models', 'findings']];
  let parseTotal = 0;
  let wholeTotal = 0;
  for (const entry of readdirSync(CORPUS).sort()) {
    const fileName = entry.replace(/\.txt$/, '');
    if (!/\.(?:py|[cm]?[jt]sx?)$/.test(fileName)) continue;
    const text = readFileSync(join(CORPUS, entry), 'utf8');
    const parse = fileName.endsWith('.py') ? () => pythonParser.parse(text) : () => ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
    const parseMs = median(time(parse, RUNS));
    let result = analyzeSource(text, fileName);
    const wholeMs = median(time(() => { result = analyzeSource(text, fileName); }, RUNS));
    parseTotal += parseMs;
    wholeTotal += wholeMs;
    rows.push([fileName, String(text.split('\n').length), parseMs.toFixed(2), wholeMs.toFixed(2), (wholeMs / parseMs).toFixed(2), String(result.models.length), String(result.findings.length)]);
  }
  rows.push(['all', '', parseTotal.toFixed(2), wholeTotal.toFixed(2), (wholeTotal / parseTotal).toFixed(2), '', '']);
  console.log('\nReal code: parse + extraction + analysis vs bare parse of the same files (target ratio ≤ 2 over the corpus)');
  printTable(rows);
}

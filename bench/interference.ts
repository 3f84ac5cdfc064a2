/**
 * How much of the core ratio is the parse itself slowing down beside other work (`npm run bench -- interference`).
 * The core and realcode floors time the parse in a tight loop, with nothing else running: its code, data and
 * branch history stay hot. Here the same 100-layer TypeScript parse is timed alone, and then timed where each
 * parse is followed by other work that never touches it: a sort, a JSON round trip, a Lezer Python parse,
 * InitLint's analysis of the Keras file, and InitLint's analysis of this very file. Only the parse calls are
 * timed, in CPU time (which also counts the GC threads that work beside it) and in wall time. A parse followed
 * by any other work runs 8–25% slower (2026-12-06, two runs: 457–463 µs alone, 495–580 µs beside the others, the
 * order changing between runs), so any pipeline around it pays 0.1–0.25 of the ratio before any work of its own.
 */
import ts from 'typescript';
import { parser as pythonParser } from '@lezer/python';
import { generatedKeras, generatedTfjs } from './core';
import { shippedAnalyzeSource } from './shipped';
import { median, printTable } from './timing';

const WARM_UP_MS = 1500;
const ROUNDS = 25;
const PARSES_PER_ROUND = 20;

export function benchInterference(): void {
  const analyzeSource = shippedAnalyzeSource();
  const tfjs = generatedTfjs(100);
  const keras = generatedKeras(100);
  const big = JSON.stringify(Array.from({ length: 3000 }, (_, index) => ({ index, name: `layer ${index}`, shape: [index, index + 1] })));
  let sink = 0;
  const between: Record<string, () => void> = {
    nothing: () => {},
    'sort 20,000 numbers': () => {
      const numbers = Array.from({ length: 20_000 }, (_, index) => (index * 7919) % 10_007);
      numbers.sort((a, b) => a - b);
      sink += numbers[5];
    },
    'JSON round trip (150 KB)': () => { sink += JSON.stringify(JSON.parse(big)).length; },
    'Lezer parse of the Keras file': () => { sink += pythonParser.parse(keras).length; },
    'InitLint on the Keras file': () => { sink += analyzeSource(keras, 'model.py').findings.length; },
    'InitLint on this file': () => { sink += analyzeSource(tfjs, 'model.ts').findings.length; },
  };
  const parse = () => ts.createSourceFile('model.ts', tfjs, ts.ScriptTarget.Latest, false);
  const rows = [['between parses', 'parse µs CPU', 'vs alone', 'parse µs wall', 'vs alone']];
  let alone = { cpu: 0, wall: 0 };
  for (const [name, work] of Object.entries(between)) {
    const warmUpEnd = performance.now() + WARM_UP_MS;
    do {
      parse();
      work();
    } while (performance.now() < warmUpEnd);
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let used = 0;
      let elapsed = 0;
      for (let i = 0; i < PARSES_PER_ROUND; i++) {
        const started = performance.now();
        const start = process.cpuUsage();
        parse();
        const spent = process.cpuUsage(start);
        elapsed += performance.now() - started;
        used += spent.user + spent.system;
        work();
      }
      cpu.push(used / PARSES_PER_ROUND);
      wall.push((elapsed * 1000) / PARSES_PER_ROUND);
    }
    const parseUs = { cpu: median(cpu), wall: median(wall) };
    if (name === 'nothing') alone = parseUs;
    rows.push([name, parseUs.cpu.toFixed(0), (parseUs.cpu / alone.cpu).toFixed(2), parseUs.wall.toFixed(0), (parseUs.wall / alone.wall).toFixed(2)]);
  }
  console.log('\nInterference: the 100-layer TypeScript parse of the core benchmark, timed alone and with other work between parses (only the parses are timed)');
  printTable(rows);
  if (sink < 0) console.log(sink);
}

/**
 * Analysis time on realistic model code (bench/realCode/: training loops, RL agents, data pipelines) against
 * the parse floor of the same files with the same parsers (TypeScript's createSourceFile, Lezer Python),
 * measured in the same run (issue 14 target: ≤ 2× the parse floor over the corpus). The floor is the parse the
 * front ends make themselves (no parent pointers for TypeScript); the analysis is the shipped bundle (shipped.ts).
 * A notebook (.ipynb) is analysed as the CLI does it (src/project/analyzeNotebook.ts: JSON read, code cells joined,
 * magics blanked, positions mapped back), timed from its JSON text; its floor is the Lezer parse of the joined
 * code cells alone, the program the Python front end reads, so the JSON and cell handling count as analysis; its
 * line count is that program's. Each file's parse and analysis are timed in alternating blocks (timing.ts
 * `alternatingBlocks`): CPU time, and the wall time of the median round and of the best blocks. The machines this
 * runs on are shared, and only on a quiet one does the wall median mean much.
 *
 * Before any file is timed, the whole corpus is analysed and parsed for CORPUS_WARM_UP_MS: each file reaches
 * code the others do not, and with only the per-file second of warm-up the first files were timed while V8's
 * compiler threads were still optimizing the rest of the analysis (their CPU time counted those threads: the
 * DCGAN script, measured first, read 2.6× CPU against 1.7× a pass later). A host analyses file after file in
 * one process, so the steady state is what users get; the parse floor is warmed the same way. The corpus is
 * measured so in several fresh processes (`PROCESSES`), and the medians over them are printed.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parser as pythonParser } from '@lezer/python';
import { notebookProgram, parseNotebook } from '../src/frontends/notebook';
import { shippedAnalyzeNotebook, shippedAnalyzeSource } from './shipped';
import { alternatingBlocks, median, printTable } from './timing';

const CORPUS = join(__dirname, 'realCode');
/** Rounds of alternating parse and analysis blocks per file (odd: the median is a round's), and each block's least length. */
const ROUNDS = 7;
const BLOCK_MS = 150;
/** As long as core's warm-up (core.ts `WARM_UP_BOTH_MS`, which says why): V8 settles on the analysis after 6 to 8 s. */
const CORPUS_WARM_UP_MS = 10_000;

/** One process's times of one file: medians over its rounds, CPU and wall, and the best wall block. */
interface FileTimes {
  fileName: string;
  lines: number;
  parseCpu: number;
  wholeCpu: number;
  parseWallMedian: number;
  wholeWallMedian: number;
  parseWallBest: number;
  wholeWallBest: number;
  models: number;
  findings: number;
}

/**
 * The corpus is measured in PROCESSES fresh processes (one process is one draw: the JIT and the heap a run
 * starts with move every ratio a little, and the same way for all files of that run), each after its own
 * warm-up. Each file's ratios and the corpus totals are the median over the processes; `cpu range` is the
 * lowest and highest CPU ratio of the totals.
 */
const PROCESSES = 3;

export function benchRealCode(): void {
  const draws = Array.from({ length: PROCESSES }, () => {
    const output = execFileSync(process.execPath, [...process.execArgv, __filename, 'corpus'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    return JSON.parse(output.slice(output.lastIndexOf('\n[') + 1)) as FileTimes[];
  });
  const rows: string[][] = [['file', 'lines', 'parse ms', 'whole ms', 'ratio', 'wall median', 'wall best', 'models', 'findings']];
  draws[0].forEach((file, index) => {
    const times = draws.map((draw) => draw[index]);
    rows.push([
      file.fileName, String(file.lines), median(times.map((time) => time.parseCpu)).toFixed(2), median(times.map((time) => time.wholeCpu)).toFixed(2),
      median(times.map((time) => time.wholeCpu / time.parseCpu)).toFixed(2),
      median(times.map((time) => time.wholeWallMedian / time.parseWallMedian)).toFixed(2),
      median(times.map((time) => time.wholeWallBest / time.parseWallBest)).toFixed(2),
      String(file.models), String(file.findings),
    ]);
  });
  const total = (draw: FileTimes[], key: keyof Omit<FileTimes, 'fileName'>) => draw.reduce((sum, time) => sum + time[key], 0);
  const cpuRatios = draws.map((draw) => total(draw, 'wholeCpu') / total(draw, 'parseCpu'));
  rows.push([
    'all', '', median(draws.map((draw) => total(draw, 'parseCpu'))).toFixed(2), median(draws.map((draw) => total(draw, 'wholeCpu'))).toFixed(2),
    `${median(cpuRatios).toFixed(2)} (${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)})`,
    median(draws.map((draw) => total(draw, 'wholeWallMedian') / total(draw, 'parseWallMedian'))).toFixed(2),
    median(draws.map((draw) => total(draw, 'wholeWallBest') / total(draw, 'parseWallBest'))).toFixed(2), '', '',
  ]);
  console.log(`\nReal code: parse + extraction + analysis vs bare parse of the same files, CPU ms (median) and its ratio (over the corpus: with the range over processes); wall ratios of the median and of the best blocks (target ratio ≤ 2 over the corpus); medians over ${PROCESSES} fresh processes`);
  printTable(rows);
}

/** The whole corpus in this process: the warm-up, then each file's parse and analysis in alternating blocks. */
function measureCorpus(): FileTimes[] {
  const analyzeSource = shippedAnalyzeSource();
  const analyzeNotebook = shippedAnalyzeNotebook();
  const files = corpusFiles().map((file) => ({
    ...file,
    parse: file.python ? () => pythonParser.parse(file.program) : () => ts.createSourceFile(file.fileName, file.text, ts.ScriptTarget.Latest, false),
    analyze: file.notebook ? () => analyzeNotebook(file.text, file.fileName).analysis : () => analyzeSource(file.text, file.fileName),
  }));
  const warmUpEnd = performance.now() + CORPUS_WARM_UP_MS;
  do {
    for (const file of files) {
      file.parse();
      file.analyze();
    }
  } while (performance.now() < warmUpEnd);
  return files.map(({ fileName, program, parse, analyze }) => {
    let result = analyze();
    const times = alternatingBlocks(parse, () => { result = analyze(); }, ROUNDS, BLOCK_MS);
    const parseTimes = times.baseline;
    const wholeTimes = times.measured;
    return {
      fileName, lines: program.split('\n').length,
      parseCpu: median(parseTimes.cpu), wholeCpu: median(wholeTimes.cpu),
      parseWallMedian: median(parseTimes.wall), wholeWallMedian: median(wholeTimes.wall),
      parseWallBest: Math.min(...parseTimes.wall), wholeWallBest: Math.min(...wholeTimes.wall),
      models: result.models.length, findings: result.findings.length,
    };
  });
}

// `node --import tsx bench/realCode.ts corpus`: the child process of one draw.
if (require.main === module && process.argv[2] === 'corpus') {
  console.log(`\n${JSON.stringify(measureCorpus())}`);
}

/** The corpus' files in name order: a notebook's program is its code cells joined, as the Python front end reads it. */
function corpusFiles(): { fileName: string; text: string; program: string; notebook: boolean; python: boolean }[] {
  return readdirSync(CORPUS).sort().flatMap((entry) => {
    const fileName = entry.replace(/\.txt$/, '');
    if (!/\.(?:py|ipynb|[cm]?[jt]sx?)$/.test(fileName)) return [];
    const text = readFileSync(join(CORPUS, entry), 'utf8');
    const notebook = fileName.endsWith('.ipynb');
    const program = notebook ? notebookProgram(parseNotebook(text)).text : text;
    return [{ fileName, text, program, notebook, python: notebook || fileName.endsWith('.py') }];
  });
}

/** `initlint report <file>`: the per-layer variance table of every model in a file. */
import { mergeConfig, DEFAULT_CONFIG } from '../core/config';
import { formatFactor } from '../core/math';
import { ACTIVATIONS } from '../core/catalogue/activations';
import { buildReport, finiteWidthNote, type ReportModel } from '../core/report';
import { relative } from 'node:path';
import { analyzeMountedProject } from '../project/analyzeProject';
import { SegmentPositions } from '../project/segmentPositions';
import { ProjectConfigFinder } from '../project/configFiles';
import { describeFsError } from '../project/sourceFiles';
import { jsonRange, type Positions } from './formats/json';
import { PLAIN, type Style } from './formats/text';
import { analyzeNotebook } from '../project/analyzeNotebook';
import type { Model } from '../core/model';
import type { ModelMeasurement, ProbeRequest } from './probeReport';
import { readModuleText, readSource } from './check';

export interface ReportOptions {
  file: string;
  format: 'text' | 'json';
  threshold?: number;
  /** `--probe`: measure each model with TensorFlow.js as well. */
  probe?: ProbeRequest;
  /** Text output's colours (`--color`, `--no-color`, NO_COLOR); plain when not given. */
  style?: Style;
  /** As `check --max-file-size`: the file, and each module it imports, is read only below this many characters. */
  maxFileChars?: number;
}

/** Offsets → places; `fileAt` names the imported module an offset was written in (undefined: the reported file). */
type ReportPositions = Positions & { fileAt?(offset: number): string | undefined };

interface Measured { backend: string; measurements: ModelMeasurement[] }

export async function runReport(options: ReportOptions, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let text: string;
  try {
    ({ text } = readSource(options.file));
  } catch (error) {
    err(`initlint: ${options.file}: ${describeFsError(error)}`);
    return 2;
  }
  const project = new ProjectConfigFinder().forFile(options.file);
  for (const problem of project.problems) err(`initlint: ${problem.message}`);
  const config = mergeConfig(DEFAULT_CONFIG, project.config, options.threshold ? { threshold: options.threshold } : {});
  let models: ReportModel[];
  let lines: ReportPositions;
  let irModels: Model[];
  if (options.file.toLowerCase().endsWith('.ipynb')) {
    try {
      // With the project modules its cells import, as `check` reads it: the layers written there are in the table.
      const notebook = analyzeNotebook(text, options.file, config, (path) => readModuleText(path, options.maxFileChars));
      models = buildReport(notebook.mounted);
      irModels = notebook.mounted.models.map((entry) => entry.model);
      lines = notebook;
      for (const cut of notebook.mounted.extracted.cuts ?? []) err(`initlint: ${options.file}: analysis incomplete: ${cut.reason}`);
    } catch (error) {
      err(`initlint: ${options.file}: ${(error as Error).message}`);
      return 2;
    }
  } else {
    // Read as `check` reads it: with the project modules it imports, where its models' layers may be written.
    const limits = { maxFileChars: options.maxFileChars, maxFileSetting: 'raise it with --max-file-size' };
    try {
      const { analysis, segments } = analyzeMountedProject(text, options.file, (path) => readModuleText(path, options.maxFileChars), config, limits);
      models = buildReport(analysis);
      irModels = analysis.models.map((entry) => entry.model);
      lines = new SegmentPositions(segments);
      for (const cut of analysis.extracted.cuts ?? []) err(`initlint: ${options.file}: analysis incomplete: ${cut.reason}`);
    } catch (error) {
      err(`initlint: ${options.file}: ${(error as Error).message}`);
      return 2;
    }
  }
  let measured: Measured | undefined;
  if (options.probe && irModels.length) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: plain reports never load TensorFlow.js
      const { measureModels } = require('./probeReport') as typeof import('./probeReport');
      measured = await measureModels(irModels, options.probe, err);
    } catch (error) {
      err(`initlint: the probe could not start: ${(error as Error).message}`);
      return 2;
    }
    measured.measurements.forEach((m, i) => {
      if ('error' in m) err(`initlint: probe of ${models[i].name}: ${m.error}`);
    });
  }
  out(options.format === 'json' ? JSON.stringify(reportJson(models, lines, measured), null, 2) : reportText(options.file, models, lines, measured, options.style));
  return 0;
}

function cellOf(lines: Positions, offset: number) {
  const cell = lines.positionAt(offset).cell;
  return cell === undefined ? {} : { cell };
}

/** An imported module's path, relative to the current folder as `check` names it. */
function shownPath(path: string): string {
  return relative(process.cwd(), path) || path;
}

/** `file`: the imported module a model or layer is written in (absent: the reported file). */
function fileOf(lines: ReportPositions, offset: number) {
  const file = lines.fileAt?.(offset);
  return file === undefined ? {} : { file: shownPath(file) };
}

export function reportJson(models: ReportModel[], lines: ReportPositions, measured?: Measured) {
  return {
    version: 1,
    models: models.map((model, modelIndex) => ({
      name: model.name,
      framework: model.framework,
      style: model.style,
      ...fileOf(lines, model.span.start),
      range: jsonRange(model.span, lines),
      ...cellOf(lines, model.span.start),
      ...(measured && { backend: measured.backend, ...probeFields(measured.measurements[modelIndex]) }),
      layers: model.layers.map((layer) => ({
        index: layer.index,
        kind: layer.kind,
        className: layer.className,
        ...fileOf(lines, layer.span.start),
        range: jsonRange(layer.span, lines),
        ...cellOf(lines, layer.span.start),
        fanIn: layer.fanIn ?? null,
        fanOut: layer.fanOut ?? null,
        widthAssumed: layer.widthAssumed,
        activation: layer.activation,
        initializer: layer.initializer ? { name: layer.initializer.name, variance: layer.initializer.variance ?? null, default: layer.initializer.default } : null,
        gain: layer.gain,
        predicted: layer.predicted,
        meanFieldSlope: layer.meanFieldSlope ?? null,
        finiteWidth: finiteWidthNote(layer, model.layers) ?? null,
        findings: layer.findings,
        ...(measured && { measured: measuredLayer(measured.measurements[modelIndex], layer.index) }),
      })),
    })),
  };
}

/** `12`, `cell 3:4` in a notebook (cells counted from 1, as editors show them), `blocks.py:7` in an imported module. */
function where(lines: ReportPositions, offset: number): string {
  const position = lines.positionAt(offset);
  const file = lines.fileAt?.(offset);
  if (file !== undefined) return `${shownPath(file)}:${position.line + 1}`;
  return position.cell === undefined ? String(position.line + 1) : `cell ${position.cell + 1}:${position.line + 1}`;
}

function probeFields(measurement: ModelMeasurement) {
  if ('error' in measurement) return { probeError: measurement.error };
  const { batch, seed, draws, seeds } = measurement.result;
  return { batch, seed, draws, seeds };
}

/** Per quantity its mean, median and 10–90% band over the draws (JSON writes a non-finite one as null). */
function measuredLayer(measurement: ModelMeasurement, index: number) {
  if ('error' in measurement) return null;
  return { ...measurement.result.layers[index].spread, draws: measurement.result.draws };
}

/** The rows whose activation InitLint does not model, as ranges (`2–9, 12`); undefined when there is none. */
function customActivationRows(model: ReportModel): string | undefined {
  const rows = model.layers.filter((layer) => layer.activation === ACTIVATIONS.other.label).map((layer) => layer.index + 1);
  if (!rows.length) return undefined;
  const ranges: string[] = [];
  for (let start = 0; start < rows.length;) {
    let end = start;
    while (end + 1 < rows.length && rows[end + 1] === rows[end] + 1) end++;
    ranges.push(end > start ? `${rows[start]}–${rows[end]}` : String(rows[start]));
    start = end + 1;
  }
  return ranges.join(', ');
}

/**
 * Only a chain a finding blames reads "vanishing". Of one that InitLint's fixes would not cure it says only that: another
 * initializer might (a fan_out-mode scale for stride-2 transposed convs), or none (a deep sigmoid stack).
 */
function chainVerdict(worst: NonNullable<ReportModel['worstChain']>, style: Style): string {
  switch (worst.verdict) {
    case 'warning': return style.yellow(worst.status);
    case 'hint': return `${worst.status}, a hint`;
    case 'not-initialization': return 'no finding: the initializers InitLint recommends would not cure it';
    default: return 'stable';
  }
}

export function reportText(path: string, models: ReportModel[], lines: ReportPositions, measured?: Measured, style: Style = PLAIN): string {
  if (!models.length) return `${path}: no Keras or TensorFlow.js model found.`;
  return models.map((model, modelIndex) => {
    const measurement = measured?.measurements[modelIndex];
    const place = where(lines, model.span.start);
    const header = `${model.name} (${model.framework}, ${model.style}) — ${lines.fileAt?.(model.span.start) === undefined ? `${path}:` : ''}${place}`;
    const bands = measurement && !('error' in measurement) && measurement.result.draws > 1 ? ' [10–90%]' : '';
    const rows = [['#', 'kind', 'line', 'fan_in', 'fan_out', 'activation', 'initializer', 'Var(W)', 'gain', 'q (forward)', 'g (backward)', ...(measurement ? [`measured q${bands}`, `measured g${bands}`] : []), 'findings']];
    const finiteWidth = model.layers.some((layer) => layer.finiteWidth);
    for (const layer of model.layers) {
      rows.push([
        String(layer.index + 1),
        layer.className,
        where(lines, layer.span.start),
        layer.widthUnknown ? '?' : layer.fanIn === undefined ? '-' : `${layer.fanIn}${layer.widthAssumed ? '*' : ''}`,
        layer.widthUnknown ? '?' : layer.fanOut === undefined ? '-' : `${layer.fanOut}${layer.widthAssumed ? '*' : ''}`,
        layer.activation,
        layer.initializer ? `${layer.initializer.name}${layer.initializer.default ? ' (default)' : ''}` : '-',
        layer.initializer?.variance === undefined ? (layer.initializer && layer.widthUnknown ? '?' : '-') : formatFactor(layer.initializer.variance),
        // An output layer's gain reflects the loss (10 logits under 256 units), not depth: not shown as one.
        layer.hidden === false ? 'output' : formatFactor(layer.gain),
        // `~`: an infinite-width value that finite width moves (the footnote says why).
        `${formatFactor(layer.predicted.forward)}${layer.finiteWidth ? '~' : ''}`,
        `${formatFactor(layer.predicted.backward)}${layer.finiteWidth ? '~' : ''}`,
        ...(measurement ? measuredCells(measurement, layer.index) : []),
        layer.findings.join(', '),
      ]);
    }
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    // Colour wraps whole padded lines, so the columns stay aligned.
    const table = rows.map((row, line) => {
      const text = row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
      return line === 0 ? style.dim(text) : text;
    }).join('\n');
    const worst = model.worstChain;
    const chain = worst
      ? `\nworst chain: ${worst.hiddenLayers} hidden layers, forward ×${formatFactor(worst.forward)}, backward ×${formatFactor(worst.backward)} (${chainVerdict(worst, style)})`
      : '';
    const probeLine = measurement && measured
      ? `\n${'error' in measurement ? `probe: ${measurement.error}` : measuredLine(measured.backend, measurement.result)}`
      : '';
    // One footnote per model, naming its steepest layer.
    const steep = model.layers.reduce<ReportModel['layers'][number] | undefined>((best, layer) =>
      (layer.finiteWidth && (!best?.finiteWidth || layer.finiteWidth.slope > best.finiteWidth.slope) ? layer : best), undefined);
    const spreadHint = measurement && !('error' in measurement) ? 'the measured band shows how far' : '`--probe` measures how far';
    const finiteWidthLine = finiteWidth && steep ? `\n~ ${finiteWidthNote(steep, model.layers)}; ${spreadHint}` : '';
    const assumed = model.layers.some((layer) => layer.widthAssumed && !layer.widthUnknown) ? '\n* width not written: assumed square' : '';
    const unknown = model.layers.some((layer) => layer.widthUnknown) ? '\n? width unknown (a parameter, an unread input): no fans to show' : '';
    const custom = customActivationRows(model);
    const customLine = custom ? `\nrow${custom.includes('–') || custom.includes(',') ? 's' : ''} ${custom}: a custom activation InitLint does not model (its columns read it as the identity); no chain through it is judged` : '';
    return `${style.bold(header)}\n${table}${chain}${probeLine}${finiteWidthLine}${assumed}${unknown}${customLine}`;
  }).join('\n\n');
}

function measuredLine(backend: string, result: { batch: number; seed: number; draws: number }): string {
  const draws = result.draws > 1 ? `, ${result.draws} weight draws (mean [10–90% band])` : '';
  return `measured on ${backend}, batch ${result.batch}, seed ${result.seed}${draws}`;
}

/** A measurement that overflowed is NaN, which formatFactor would print as −∞. */
const measuredNumber = (value: number) => (Number.isNaN(value) ? 'NaN' : formatFactor(value));

/** The mean, and with several draws the 10–90% band: `1.02 [0.91–1.13]`. */
function measuredCells(measurement: ModelMeasurement, index: number): string[] {
  if ('error' in measurement) return ['-', '-'];
  const { spread } = measurement.result.layers[index];
  const cell = ({ mean, p10, p90 }: { mean: number; p10: number; p90: number }) =>
    measurement.result.draws > 1 ? `${measuredNumber(mean)} [${measuredNumber(p10)}–${measuredNumber(p90)}]` : measuredNumber(mean);
  return [cell(spread.forward), cell(spread.backward)];
}

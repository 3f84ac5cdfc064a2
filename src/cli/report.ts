/** `initlint report <file>`: the per-layer variance table of every model in a file. */
import { readFileSync } from 'node:fs';
import { mergeConfig, DEFAULT_CONFIG } from '../core/config';
import { formatFactor } from '../core/math';
import { buildReport, type ReportModel } from '../core/report';
import { LineIndex } from '../core/text';
import { analyzeSource } from '../project/analyzeSource';
import { ProjectConfigFinder } from '../project/configFiles';
import { describeFsError } from '../project/sourceFiles';
import { jsonRange, type Positions } from './formats/json';
import { analyzeNotebook } from '../project/analyzeNotebook';

export interface ReportOptions {
  file: string;
  format: 'text' | 'json';
  threshold?: number;
}

export function runReport(options: ReportOptions, out: (text: string) => void, err: (text: string) => void): number {
  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (error) {
    err(`initlint: ${options.file}: ${describeFsError(error)}`);
    return 2;
  }
  const project = new ProjectConfigFinder().forFile(options.file);
  for (const problem of project.problems) err(`initlint: ${problem.message}`);
  const config = mergeConfig(DEFAULT_CONFIG, project.config, options.threshold ? { threshold: options.threshold } : {});
  let models: ReportModel[];
  let lines: Positions;
  if (options.file.toLowerCase().endsWith('.ipynb')) {
    try {
      const notebook = analyzeNotebook(text, options.file, config);
      models = buildReport(notebook.analysis);
      lines = notebook;
    } catch (error) {
      err(`initlint: ${options.file}: ${(error as Error).message}`);
      return 2;
    }
  } else {
    models = buildReport(analyzeSource(text, options.file, config));
    lines = new LineIndex(text);
  }
  out(options.format === 'json' ? JSON.stringify(reportJson(models, lines), null, 2) : reportText(options.file, models, lines));
  return 0;
}

function cellOf(lines: Positions, offset: number) {
  const cell = lines.positionAt(offset).cell;
  return cell === undefined ? {} : { cell };
}

export function reportJson(models: ReportModel[], lines: Positions) {
  return {
    version: 1,
    models: models.map((model) => ({
      name: model.name,
      framework: model.framework,
      style: model.style,
      range: jsonRange(model.span, lines),
      ...cellOf(lines, model.span.start),
      layers: model.layers.map((layer) => ({
        index: layer.index,
        kind: layer.kind,
        className: layer.className,
        range: jsonRange(layer.span, lines),
        ...cellOf(lines, layer.span.start),
        fanIn: layer.fanIn ?? null,
        fanOut: layer.fanOut ?? null,
        widthAssumed: layer.widthAssumed,
        activation: layer.activation,
        initializer: layer.initializer ? { name: layer.initializer.name, variance: layer.initializer.variance ?? null, default: layer.initializer.default } : null,
        gain: layer.gain,
        predicted: layer.predicted,
        findings: layer.findings,
      })),
    })),
  };
}

/** `12`, or `cell 3:4` in a notebook. */
function where(lines: Positions, offset: number): string {
  const position = lines.positionAt(offset);
  return position.cell === undefined ? String(position.line + 1) : `cell ${position.cell}:${position.line + 1}`;
}

export function reportText(path: string, models: ReportModel[], lines: Positions): string {
  if (!models.length) return `${path}: no Keras or TensorFlow.js model found.`;
  return models.map((model) => {
    const header = `${model.name} (${model.framework}, ${model.style}) — ${path}:${where(lines, model.span.start)}`;
    const rows = [['#', 'kind', 'line', 'fan_in', 'fan_out', 'activation', 'initializer', 'Var(W)', 'gain', 'q (forward)', 'g (backward)', 'findings']];
    for (const layer of model.layers) {
      rows.push([
        String(layer.index + 1),
        layer.className,
        where(lines, layer.span.start),
        layer.fanIn === undefined ? '-' : `${layer.fanIn}${layer.widthAssumed ? '*' : ''}`,
        layer.fanOut === undefined ? '-' : `${layer.fanOut}${layer.widthAssumed ? '*' : ''}`,
        layer.activation,
        layer.initializer ? `${layer.initializer.name}${layer.initializer.default ? ' (default)' : ''}` : '-',
        layer.initializer?.variance === undefined ? '-' : formatFactor(layer.initializer.variance),
        formatFactor(layer.gain),
        formatFactor(layer.predicted.forward),
        formatFactor(layer.predicted.backward),
        layer.findings.join(', '),
      ]);
    }
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const table = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
    const chain = model.worstChain
      ? `\nworst chain: ${model.worstChain.hiddenLayers} hidden layers, forward ×${formatFactor(model.worstChain.forward)}, backward ×${formatFactor(model.worstChain.backward)} (${model.worstChain.status})`
      : '';
    const assumed = model.layers.some((layer) => layer.widthAssumed) ? '\n* width not written: assumed square' : '';
    return `${header}\n${table}${chain}${assumed}`;
  }).join('\n\n');
}

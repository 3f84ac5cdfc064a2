/** `initlint report <file>`: the per-layer variance table of every model in a file. */
import { readFileSync } from 'node:fs';
import { mergeConfig, DEFAULT_CONFIG } from '../core/config';
import { formatFactor } from '../core/math';
import { buildReport, type ReportModel } from '../core/report';
import { LineIndex } from '../core/text';
import { analyzeSource } from '../project/analyzeSource';
import { ProjectConfigFinder } from '../project/configFiles';
import { describeFsError } from '../project/sourceFiles';
import { jsonRange } from './formats/json';

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
  const analysis = analyzeSource(text, options.file, config);
  const models = buildReport(analysis);
  const lines = new LineIndex(text);
  out(options.format === 'json' ? JSON.stringify(reportJson(models, lines), null, 2) : reportText(options.file, models, lines));
  return 0;
}

export function reportJson(models: ReportModel[], lines: LineIndex) {
  return {
    version: 1,
    models: models.map((model) => ({
      name: model.name,
      framework: model.framework,
      style: model.style,
      range: jsonRange(model.span, lines),
      layers: model.layers.map((layer) => ({
        index: layer.index,
        kind: layer.kind,
        className: layer.className,
        range: jsonRange(layer.span, lines),
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

export function reportText(path: string, models: ReportModel[], lines: LineIndex): string {
  if (!models.length) return `${path}: no Keras or TensorFlow.js model found.`;
  return models.map((model) => {
    const header = `${model.name} (${model.framework}, ${model.style}) — ${path}:${lines.positionAt(model.span.start).line + 1}`;
    const rows = [['#', 'kind', 'line', 'fan_in', 'fan_out', 'activation', 'initializer', 'Var(W)', 'gain', 'q (forward)', 'g (backward)', 'findings']];
    for (const layer of model.layers) {
      rows.push([
        String(layer.index + 1),
        layer.className,
        String(lines.positionAt(layer.span.start).line + 1),
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
      ? `\nworst chain: ${model.worstChain.length} kernel layers, forward ×${formatFactor(model.worstChain.forward)}, backward ×${formatFactor(model.worstChain.backward)} (${model.worstChain.status})`
      : '';
    const assumed = model.layers.some((layer) => layer.widthAssumed) ? '\n* width not written: assumed square' : '';
    return `${header}\n${table}${chain}${assumed}`;
  }).join('\n\n');
}

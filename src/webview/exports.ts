/**
 * The panel's text exports: JSON (the run summary the host received, plus the predictions and the
 * recommended model's numbers) and Markdown (a heading, the run line, a table per model, the notes).
 * Pure: the webview posts the strings to the host, which saves them.
 */
import type { PanelModel } from '../protocol/panel';
import { describeBackend } from './backendOrder';
import { disagreement, formatFraction, formatMoment, formatMs, withBand } from './format';
import { initializerLabel, layerRows, sourcePlace, type LayerRow } from './layerRows';
import type { MeasuredLayer, PanelMeasurements } from './results';

export const JSON_EXPORT_VERSION = 1;

interface ExportedLayer {
  index: number;
  className: string;
  activation: string;
  initializer: string;
  fanIn: number | null;
  line: number | null;
  /** Notebooks only: the layer's cell (`line` counts within it). */
  cell?: number;
  predicted: { forward: number; backward: number; inactiveFraction: number };
  /** null: not measured. Non-finite measurements are null inside (JSON has no NaN or Infinity). */
  measured: Omit<MeasuredLayer, 'index'> | null;
}

export interface PanelJsonExport {
  version: typeof JSON_EXPORT_VERSION;
  model: string;
  path: string;
  framework: string;
  threshold: number;
  /** The PanelRunSummary of the last run (current model); null before any run. */
  run: PanelModelRun | null;
  layers: ExportedLayer[];
  recommended: { fixCount: number; layers: ExportedLayer[]; measurementFailure?: string } | null;
}

type PanelModelRun = PanelMeasurements['summary'] & { stale: boolean };

export function jsonExport(panel: PanelModel, measurements?: PanelMeasurements): string {
  const exported: PanelJsonExport = {
    version: JSON_EXPORT_VERSION,
    model: panel.report.name,
    path: panel.shownPath,
    framework: panel.report.framework,
    threshold: panel.threshold,
    run: measurements ? { ...measurements.summary, stale: measurements.stale } : null,
    layers: exportedLayers(panel, panel.report.layers, measurements?.summary.layers),
    recommended: panel.recommended
      ? {
        fixCount: panel.recommended.fixCount,
        layers: exportedLayers(panel, panel.recommended.report.layers, measurements?.recommended),
        ...(measurements?.recommendedFailure && { measurementFailure: measurements.recommendedFailure }),
      }
      : null,
  };
  return `${JSON.stringify(exported, null, 2)}\n`;
}

function exportedLayers(panel: PanelModel, layers: PanelModel['report']['layers'], measured: MeasuredLayer[] | undefined): ExportedLayer[] {
  const measuredByIndex = new Map((measured ?? []).map((layer) => [layer.index, layer]));
  return layers.map((layer) => {
    const measurement = measuredByIndex.get(layer.index);
    return {
      index: layer.index,
      className: layer.className,
      activation: layer.activation,
      initializer: initializerLabel(layer),
      fanIn: layer.fanIn ?? null,
      line: panel.layerLines[layer.index] ?? null,
      ...(panel.layerCells?.[layer.index] !== undefined && { cell: panel.layerCells[layer.index] }),
      predicted: layer.predicted,
      measured: measurement
        ? {
          forward: measurement.forward, backward: measurement.backward, deadFraction: measurement.deadFraction, saturatedFraction: measurement.saturatedFraction,
          ...(measurement.spread && { spread: measurement.spread }),
        }
        : null,
    };
  });
}

export function markdownExport(panel: PanelModel, measurements?: PanelMeasurements): string {
  const lines = [`# Variance check: ${escapeMarkdown(panel.report.name)}`, ''];
  lines.push(`\`${panel.shownPath}\` · ${panel.report.framework} · ${panel.report.layers.length} layers · threshold ${panel.threshold}`, '');
  if (measurements) {
    const { summary } = measurements;
    const { batch, seed, draws, memoryBudgetMiB } = summary.settings;
    const drawText = draws > 1 ? `${draws} weight draws (mean [10–90% band]), ` : '';
    lines.push(`Measured with TensorFlow.js on ${escapeMarkdown(describeBackend(summary.backend, summary.renderer))}: batch ${batch}, seed ${seed}, ${drawText}`
      + `memory budget ${memoryBudgetMiB} MiB, ${formatMs(summary.totalMs)}.${measurements.stale ? ' The source changed since: these measurements are stale.' : ''}`, '');
  } else {
    lines.push('Not measured yet: predictions only.', '');
  }
  lines.push(...layerTable(layerRows(panel, measurements?.summary.layers)), '');
  if (panel.recommended) {
    const recommendedPanel: PanelModel = { ...panel, report: panel.recommended.report };
    delete recommendedPanel.recommended;
    lines.push(`## With the recommended fixes (${panel.recommended.fixCount})`, '');
    if (measurements?.recommendedFailure) lines.push(`Not measured: ${escapeMarkdown(measurements.recommendedFailure)}`, '');
    lines.push(...layerTable(layerRows(recommendedPanel, measurements?.recommended)), '');
  }
  const notes = measurements?.summary.notes ?? [];
  if (notes.length) lines.push('## Notes', '', ...notes.map((note) => `- ${escapeMarkdown(note)}`), '');
  lines.push('Forward: mean square of the pre-activations z; backward: mean square of ∂L/∂z. '
    + 'Measured values are means over the weight draws, with their 10–90% band in brackets; more than ×1.5 away from the prediction they show the ratio. '
    + 'A prediction marked ~ is an infinite-width value that finite width moves (a steep activation upstream: an unstable mean-field fixed point).');
  return `${lines.join('\n')}\n`;
}

function layerTable(rows: LayerRow[]): string[] {
  const header = ['#', 'layer', 'activation', 'initializer', 'fan-in', 'forward predicted', 'forward measured', 'backward predicted', 'backward measured',
    'φ′ ≈ 0 predicted', 'dead units measured', 'saturated measured'];
  const measuredWithRatio = (value: number | undefined, ratio: number | undefined, band: { p10: number; p90: number } | undefined) => {
    const off = disagreement(ratio);
    return withBand(off ? `${formatMoment(value)} (${off})` : formatMoment(value), band, formatMoment);
  };
  const predicted = (value: number, row: LayerRow) => `${formatMoment(value)}${row.finiteWidth ? ' ~' : ''}`;
  const body = rows.map((row) => [
    String(row.index + 1),
    row.line === undefined ? row.className : `${row.className} (${row.cell === undefined ? `line ${row.line}` : sourcePlace(row)})`,
    row.activation,
    row.initializer,
    row.fanIn === undefined ? '—' : String(row.fanIn),
    predicted(row.predicted.forward, row),
    measuredWithRatio(row.measured?.forward, row.forwardRatio, row.measured?.spread?.forward),
    predicted(row.predicted.backward, row),
    measuredWithRatio(row.measured?.backward, row.backwardRatio, row.measured?.spread?.backward),
    formatFraction(row.predicted.inactiveFraction),
    withBand(formatFraction(row.measured?.deadFraction), row.measured?.spread?.deadFraction, formatFraction),
    withBand(formatFraction(row.measured?.saturatedFraction), row.measured?.spread?.saturatedFraction, formatFraction),
  ]);
  const align = header.map((_, column) => (column === 0 || column >= 4 ? '---:' : '---'));
  return [header, align, ...body].map((cells) => `| ${cells.map(escapeMarkdown).join(' | ')} |`);
}

/** A pipe would split a table cell and `<` could open HTML; identifiers' underscores are safe inside words. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\|<>]/g, (character) => `\\${character}`);
}

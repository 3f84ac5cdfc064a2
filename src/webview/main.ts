/**
 * The variance-check webview: receives the model from the extension host, measures it with TensorFlow.js
 * on the user's GPU (or WASM, or CPU), shows prediction against measurement, and posts results and requests
 * back. Messages both ways are the ones in src/protocol/panel.ts; the state kept across reloads is PanelState.
 */
import 'uplot/dist/uPlot.min.css';
import './panel.css';
import {
  DEFAULT_PROBE_SETTINGS, parseHostMessage, parsePanelState, parseProbeSettings,
  type ExportFormat, type HostMessage, type PanelMessage, type PanelModel, type PanelState, type ProbeSettings,
} from '../protocol/panel';
import { startBackend } from './backend';
import { describeBackend } from './backendOrder';
import { fractionChart, momentChart } from './chartSeries';
import { PanelCharts } from './charts';
import { jsonExport, markdownExport } from './exports';
import { formatMs } from './format';
import { layerRows } from './layerRows';
import { measureLsuv, measurePanel, type RunControl } from './probeRun';
import { failureMessage, isCancellation, lsuvScales, progressFraction, progressText, type PanelMeasurements } from './results';
import { PanelView, type PanelAction } from './view';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** LSUV's |Var(z) − 1| tolerance (the reference implementation uses 0.02–0.1). */
const LSUV_TOLERANCE = 0.05;

class VariancePanelApp {
  private readonly vscode = acquireVsCodeApi();
  private readonly view: PanelView;
  private readonly charts: PanelCharts;
  private readonly wasmBaseUri = document.body.dataset.wasmBase ?? './wasm/';
  private panel: PanelModel | undefined;
  private settings: ProbeSettings;
  private measurements: PanelMeasurements | undefined;
  /** The running probe or LSUV, which Cancel aborts, and its promise (settled once it has posted its outcome). */
  private running: AbortController | undefined;
  private task: Promise<void> = Promise.resolve();
  private available = true;
  /** An edit request (fixes, LSUV scales) the host has not answered yet: no second one meanwhile. */
  private awaitingEdit = false;
  /** The host's answer to the last edit request, until the update that edit causes arrives. */
  private editResult: string | undefined;
  /** The last LSUV run's notes (a constant kernel started from a random draw, skipped layers). */
  private lsuvNotes: string[] = [];

  constructor(root: HTMLElement) {
    this.view = new PanelView(root, { onAction: (action) => this.act(action), onReveal: (layer) => this.post({ type: 'reveal', layer }) });
    this.charts = new PanelCharts(this.view.chartHosts);
    const saved = parsePanelState(this.vscode.getState());
    this.settings = saved.ok ? saved.value.settings : DEFAULT_PROBE_SETTINGS;
    this.view.setSettings(this.settings);
    this.view.setStatus('Waiting for the model…');
    this.refreshButtons();
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    this.post({ type: 'ready' });
  }

  private post(message: PanelMessage): void {
    this.vscode.postMessage(message);
  }

  private persist(): void {
    if (this.panel) this.vscode.setState({ key: this.panel.key, settings: this.settings } satisfies PanelState);
  }

  private receive(data: unknown): void {
    const parsed = parseHostMessage(data);
    if (!parsed.ok) {
      console.warn(`InitLint panel: ignored a host message: ${parsed.reason}`);
      return;
    }
    this.handle(parsed.value);
  }

  private handle(message: HostMessage): void {
    // Any answer from the host settles an edit request: its `done`, or the model it changed.
    if (message.type !== 'run') this.awaitingEdit = false;
    switch (message.type) {
      case 'load': {
        // Another model: what runs now measures the old one. It ends (posting runFailed) before a new run starts.
        this.running?.abort();
        const previous = this.task;
        this.measurements = undefined;
        this.lsuvNotes = [];
        this.settings = message.settings;
        this.view.setSettings(message.settings);
        this.showModel(message.panel);
        this.view.setRunLabel(false);
        this.view.setRunInfo('Not measured yet: the lines show the prediction.');
        this.view.setStatus(`Loaded ${message.panel.report.name}.`);
        if (message.run) void previous.then(() => this.start('run'));
        break;
      }
      case 'update': {
        if (this.measurements) this.measurements.stale = true;
        this.showModel(message.panel);
        // The edit the panel just asked for is why the source changed: its result stays readable.
        const edited = this.editResult ? `${this.editResult} ` : '';
        this.editResult = undefined;
        this.view.setStatus(`${edited}${this.measurements ? 'The source changed: the measurements are from before the change. Re-run to measure it again.' : 'The source changed.'}`);
        break;
      }
      case 'unavailable':
        this.available = false;
        this.running?.abort();
        this.view.setError(message.message);
        this.view.setStatus('The model is not available any more.');
        this.refreshButtons();
        break;
      case 'done':
        this.editResult = message.ok && (message.request === 'applyFixes' || message.request === 'applyLsuv') ? message.message : undefined;
        this.view.setStatus(message.message);
        if (!message.ok) this.view.setError(message.message);
        this.refreshButtons();
        break;
      case 'run':
        this.start('run');
        break;
    }
  }

  /** Starts a run or LSUV unless one is running. */
  private start(kind: 'run' | 'lsuv'): void {
    if (this.running) {
      this.view.setStatus('A measurement is already running: cancel it first.');
      return;
    }
    this.task = kind === 'run' ? this.run() : this.lsuv();
  }

  private showModel(panel: PanelModel): void {
    this.panel = panel;
    this.available = true;
    this.view.setError(undefined);
    this.view.showModel(panel);
    this.persist();
    this.redraw();
    this.refreshButtons();
  }

  private redraw(): void {
    const panel = this.panel;
    if (!panel) return;
    const measurements = this.measurements;
    this.charts.show([
      { title: 'Forward: mean square of z', unit: 'E[z²]', scale: 'log', data: momentChart('forward', panel, measurements) },
      { title: 'Backward: mean square of ∂L/∂z', unit: 'E[(∂L/∂z)²]', scale: 'log', data: momentChart('backward', panel, measurements) },
      { title: 'Inactive fractions', unit: 'fraction', scale: 'fraction', data: fractionChart(panel, measurements) },
    ]);
    this.view.showRows(layerRows(panel, measurements?.summary.layers));
    this.view.setNotes([...(measurements?.summary.notes ?? []), ...this.lsuvNotes]);
    if (measurements) {
      const { summary } = measurements;
      const draws = summary.settings.draws > 1 ? `${summary.settings.draws} weight draws (mean and 10–90% band), ` : '';
      this.view.setRunInfo(`Measured on ${describeBackend(summary.backend, summary.renderer)}: batch ${summary.settings.batch}, seed ${summary.settings.seed}, `
        + `${draws}${formatMs(summary.totalMs)}${measurements.stale ? ' (stale: the source changed since)' : ''}.`);
    }
  }

  private refreshButtons(): void {
    const idle = !this.running;
    const ready = Boolean(this.panel) && this.available;
    const canEdit = idle && ready && !this.awaitingEdit;
    this.view.setEnabled({
      run: idle && ready, cancel: !idle, lsuv: canEdit, applyFixes: canEdit && Boolean(this.panel?.recommended),
      exportPng: Boolean(this.panel), exportJson: Boolean(this.panel), exportMarkdown: Boolean(this.panel),
    });
  }

  private act(action: PanelAction): void {
    switch (action) {
      case 'run':
        return this.start('run');
      case 'cancel':
        return this.running?.abort();
      case 'applyFixes':
        this.view.setStatus('Applying the recommended fixes…');
        this.requestEdit({ type: 'applyFixes' });
        return;
      case 'lsuv':
        return this.start('lsuv');
      case 'exportPng':
        return this.exportAs('png');
      case 'exportJson':
        return this.exportAs('json');
      case 'exportMarkdown':
        return this.exportAs('md');
    }
  }

  /** The form's settings, or undefined (and the reason shown) when a field is out of range. */
  private formSettings(): ProbeSettings | undefined {
    const parsed = parseProbeSettings(this.view.readSettings());
    if (!parsed.ok) {
      this.view.setError(`Cannot run: ${parsed.reason}.`);
      return undefined;
    }
    this.settings = parsed.value;
    this.persist();
    return parsed.value;
  }

  /** Starts a measured task unless one is running; `undefined` when it cannot start. */
  private begin(): { settings: ProbeSettings; panel: PanelModel; control: RunControl; abort: AbortController } | undefined {
    if (this.running || !this.panel || !this.available) return undefined;
    const settings = this.formSettings();
    if (!settings) return undefined;
    const abort = new AbortController();
    const panel = this.panel;
    const withRecommended = Boolean(panel.recommended);
    this.running = abort;
    this.view.setError(undefined);
    this.view.setProgress(0);
    this.refreshButtons();
    const control: RunControl = {
      signal: abort.signal,
      onProgress: (progress, model) => {
        const both = withRecommended && progress.phase !== 'lsuv';
        this.view.setProgress(progressFraction(progress, model, both), progressText(progress, model, both));
      },
    };
    return { settings, panel, control, abort };
  }

  private requestEdit(message: Extract<PanelMessage, { type: 'applyFixes' | 'applyLsuv' }>): void {
    this.awaitingEdit = true;
    this.post(message);
    this.refreshButtons();
  }

  private finish(abort: AbortController): void {
    if (this.running === abort) this.running = undefined;
    this.view.setProgress(undefined);
    this.refreshButtons();
  }

  private async run(): Promise<void> {
    const task = this.begin();
    if (!task) return;
    const { settings, panel, control, abort } = task;
    this.lsuvNotes = [];
    this.post({ type: 'runStarted', settings });
    this.view.setStatus('Starting TensorFlow.js…');
    try {
      const backend = await startBackend(settings.backend, this.wasmBaseUri);
      this.view.setStatus(`Measuring on ${describeBackend(backend.name, backend.renderer)}…`);
      const measurements = await measurePanel(panel, settings, backend, control);
      // A load or an update while it ran: the numbers describe the model as it was.
      measurements.stale = this.panel !== panel;
      if (this.panel?.key.uri === panel.key.uri && this.panel.key.modelIndex === panel.key.modelIndex) {
        this.measurements = measurements;
        this.view.setRunLabel(true);
        this.redraw();
      }
      this.view.setStatus(`Measured ${panel.report.layers.length} layers on ${measurements.summary.backend} in ${formatMs(measurements.summary.totalMs)}.`);
      this.post({ type: 'runFinished', summary: measurements.summary });
    } catch (error) {
      const message = failureMessage(error);
      if (isCancellation(error)) this.view.setStatus('Measurement cancelled; the prediction still shows.');
      else {
        this.view.setError(`${message} The analytic prediction still shows.`);
        this.view.setStatus('The measurement failed.');
      }
      this.post({ type: 'runFailed', message });
    } finally {
      this.finish(abort);
    }
  }

  private async lsuv(): Promise<void> {
    const task = this.begin();
    if (!task) return;
    const { settings, panel, control, abort } = task;
    this.view.setStatus('Starting TensorFlow.js for LSUV…');
    try {
      await startBackend(settings.backend, this.wasmBaseUri);
      const result = await measureLsuv(panel, settings, LSUV_TOLERANCE, control);
      const { scales, notes } = lsuvScales(result);
      // Kept through the update the LSUV edit causes, until the next measurement or model.
      this.lsuvNotes = notes.map((note) => `LSUV: ${note}`);
      this.view.setNotes([...(this.measurements?.summary.notes ?? []), ...this.lsuvNotes]);
      if (!scales.length) {
        this.view.setError(`LSUV found no layer it can rescale.${notes.length ? ` ${notes.join('; ')}` : ''}`);
        return;
      }
      const unconverged = scales.filter((scale) => !scale.converged).length;
      this.view.setStatus(`LSUV measured ${scales.length} scales on ${result.backend}${unconverged ? ` (${unconverged} did not converge)` : ''}; applying them…`);
      this.requestEdit({ type: 'applyLsuv', scales, tolerance: LSUV_TOLERANCE });
    } catch (error) {
      if (isCancellation(error)) this.view.setStatus('LSUV cancelled.');
      else this.view.setError(`LSUV: ${failureMessage(error)}`);
    } finally {
      this.finish(abort);
    }
  }

  private exportAs(format: ExportFormat): void {
    const panel = this.panel;
    if (!panel) return;
    try {
      const content = format === 'png' ? this.charts.png() : format === 'json' ? jsonExport(panel, this.measurements) : markdownExport(panel, this.measurements);
      this.post({ type: 'export', format, content });
      this.view.setStatus(`Exporting ${format === 'md' ? 'Markdown' : format.toUpperCase()}…`);
    } catch (error) {
      this.view.setError(`Export failed: ${(error as Error).message}`);
    }
  }
}

const root = document.getElementById('panel');
if (root) new VariancePanelApp(root);

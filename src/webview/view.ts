/**
 * The panel's page: settings and actions (VS Code Elements), the status line, the charts' places, the layer
 * table and the notes. It draws what it is given and reports what the user does; main.ts decides.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeProgressBar } from '@vscode-elements/elements/dist/vscode-progress-bar/vscode-progress-bar.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { MAX_DRAWS, type BackendPreference, type PanelModel, type ProbeSettings } from '../protocol/panel';
import { disagreement, formatFraction, formatMoment, withBand } from './format';
import { sourcePlace, type LayerRow } from './layerRows';

type Child = Node | string;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const BACKEND_CHOICES: [BackendPreference, string][] = [
  ['auto', 'Automatic (WebGPU, WebGL, WASM, CPU)'],
  ['webgpu', 'WebGPU'],
  ['webgl', 'WebGL'],
  ['wasm', 'WebAssembly'],
  ['cpu', 'CPU (JavaScript)'],
];

export type PanelAction = 'run' | 'cancel' | 'applyFixes' | 'lsuv' | 'exportPng' | 'exportJson' | 'exportMarkdown';

export interface ViewHandlers {
  onAction(action: PanelAction): void;
  onReveal(layer: number): void;
}

export class PanelView {
  readonly chartHosts: HTMLElement[];
  private readonly title = element('h1', {}, ['Variance check']);
  private readonly subtitle = element('p', { class: 'subtitle' });
  private readonly batch = this.numberField('batch', 1, 65536);
  private readonly seed = this.numberField('seed', 0, 2147483647);
  private readonly draws = this.numberField('draws', 1, MAX_DRAWS);
  private readonly memory = this.numberField('memory', 1, 65536);
  private readonly backend = element('vscode-single-select', { id: 'backend' }) as VscodeSingleSelect;
  private readonly buttons: Record<PanelAction, VscodeButton>;
  private readonly progress = element('vscode-progress-bar', { id: 'progress', hidden: '' }) as VscodeProgressBar;
  /** Per-layer progress: not a live region, which would announce every layer. */
  private readonly progressText = element('p', { id: 'progress-text', hidden: '' });
  private readonly status = element('p', { id: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly error = element('div', { id: 'error', role: 'alert', hidden: '' });
  private readonly runInfo = element('p', { id: 'run-info' }, ['Not measured yet: the lines show the prediction.']);
  private readonly tableBody = element('tbody');
  private readonly notes = element('ul', { id: 'notes' });

  constructor(root: HTMLElement, private readonly handlers: ViewHandlers) {
    for (const [value, label] of BACKEND_CHOICES) this.backend.append(element('vscode-option', { value }, [label]));
    const button = (action: PanelAction, label: string, secondary = true) => {
      const node = element('vscode-button', { id: `${action}-button`, ...(secondary && { secondary: '' }) }, [label]) as VscodeButton;
      node.addEventListener('click', () => {
        if (!node.disabled) handlers.onAction(action);
      });
      return node;
    };
    this.buttons = {
      run: button('run', 'Run', false),
      cancel: button('cancel', 'Cancel'),
      applyFixes: button('applyFixes', 'Apply recommended fixes'),
      lsuv: button('lsuv', 'Run LSUV and apply its scales'),
      exportPng: button('exportPng', 'PNG'),
      exportJson: button('exportJson', 'JSON'),
      exportMarkdown: button('exportMarkdown', 'Markdown'),
    };
    this.buttons.cancel.disabled = true;
    this.progress.ariaLabel = 'Probe progress';
    this.progress.max = 1;

    const field = (id: string, label: string, control: HTMLElement) => element('div', { class: 'field' }, [element('vscode-label', { for: id }, [label]), control]);
    const chart = (id: string, caption: string, description: string) => {
      const host = element('div', { id, class: 'chart', role: 'img', 'aria-label': description });
      return { host, figure: element('figure', {}, [element('figcaption', {}, [caption]), host]) };
    };
    const forward = chart('forward-chart', 'Forward: mean square of z per layer (log scale)',
      'Forward mean squares per layer, predicted and measured; the layer table lists the same values.');
    const backward = chart('backward-chart', 'Backward: mean square of ∂L/∂z per layer (log scale)',
      'Backward mean squares per layer, predicted and measured; the layer table lists the same values.');
    const fractions = chart('fraction-chart', 'Inactive: predicted share with φ′ ≈ 0, measured dead units and saturated values',
      'Fractions of inactive values and dead units per layer; the layer table lists the same values.');
    this.chartHosts = [forward.host, backward.host, fractions.host];

    const headings = ['#', 'Layer', 'Line', 'Activation', 'Initializer', 'fan-in', 'Forward predicted', 'Forward measured', 'Backward predicted',
      'Backward measured', 'φ′ ≈ 0 predicted', 'Dead units measured', 'Saturated measured'];
    const table = element('table', { id: 'layers' }, [
      element('caption', {}, ['Layers. Select a row (click, or Enter) to show the layer in the editor. Measured values are means over the weight draws, '
        + 'with their 10–90% band in brackets; more than ×1.5 away from the prediction they show the ratio. A prediction marked ~ is an infinite-width '
        + 'value that finite width moves (its tooltip says why).']),
      element('thead', {}, [element('tr', {}, headings.map((heading) => element('th', { scope: 'col' }, [heading])))]),
      this.tableBody,
    ]);
    this.tableBody.addEventListener('click', (event) => this.revealFrom(event.target));
    this.tableBody.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      this.revealFrom(event.target);
    });

    root.replaceChildren(
      element('header', {}, [this.title, this.subtitle]),
      element('section', { class: 'controls', 'aria-label': 'Probe settings and actions' }, [
        element('div', { class: 'fields' }, [
          field('batch', 'Batch', this.batch), field('seed', 'Seed', this.seed), field('draws', 'Weight draws', this.draws),
          field('memory', 'Memory budget (MiB)', this.memory),
          field('backend', 'Backend', this.backend),
        ]),
        element('div', { class: 'actions' }, [this.buttons.run, this.buttons.cancel, this.buttons.applyFixes, this.buttons.lsuv]),
      ]),
      this.progress,
      this.progressText,
      this.status,
      this.error,
      this.runInfo,
      element('section', { class: 'charts', 'aria-label': 'Charts' }, [forward.figure, backward.figure, fractions.figure]),
      element('div', { class: 'actions exports', role: 'group', 'aria-label': 'Export' }, [
        element('span', {}, ['Export:']), this.buttons.exportPng, this.buttons.exportJson, this.buttons.exportMarkdown,
      ]),
      element('div', { class: 'table-scroll' }, [table]),
      element('h2', {}, ['Notes']),
      this.notes,
    );
    root.removeAttribute('aria-busy');
  }

  showModel(panel: PanelModel): void {
    this.title.textContent = `Variance check: ${panel.report.name}`;
    this.subtitle.textContent = `${panel.shownPath} · ${panel.report.framework} · ${panel.report.layers.length} layers · threshold ${panel.threshold}`;
    this.buttons.applyFixes.textContent = panel.recommended ? `Apply recommended fixes (${panel.recommended.fixCount})` : 'Apply recommended fixes';
  }

  setSettings(settings: ProbeSettings): void {
    this.batch.value = String(settings.batch);
    this.seed.value = String(settings.seed);
    this.draws.value = String(settings.draws);
    this.memory.value = String(settings.memoryBudgetMiB);
    this.backend.value = settings.backend;
  }

  /** The form as typed (parseProbeSettings checks it). */
  readSettings(): Record<keyof ProbeSettings, unknown> {
    const number = (field: VscodeTextfield) => (field.value.trim() === '' ? NaN : Number(field.value));
    return { batch: number(this.batch), seed: number(this.seed), draws: number(this.draws), memoryBudgetMiB: number(this.memory), backend: this.backend.value };
  }

  /** Which actions are possible now. */
  setEnabled(enabled: Partial<Record<PanelAction, boolean>>): void {
    for (const [action, on] of Object.entries(enabled) as [PanelAction, boolean][]) this.buttons[action].disabled = !on;
  }

  setRunLabel(measuredBefore: boolean): void {
    this.buttons.run.textContent = measuredBefore ? 'Re-run' : 'Run';
  }

  /** `undefined` hides the bar (nothing runs). */
  setProgress(fraction: number | undefined, text = ''): void {
    this.progress.hidden = fraction === undefined;
    this.progressText.hidden = fraction === undefined;
    this.progressText.textContent = text;
    if (fraction !== undefined) this.progress.value = Math.min(1, Math.max(0, fraction));
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  setError(text: string | undefined): void {
    this.error.textContent = text ?? '';
    this.error.hidden = !text;
  }

  setRunInfo(text: string): void {
    this.runInfo.textContent = text;
  }

  setNotes(notes: string[]): void {
    this.notes.replaceChildren(...(notes.length ? notes : ['None.']).map((note) => element('li', {}, [note])));
  }

  showRows(rows: LayerRow[]): void {
    const measured = (value: number | undefined, ratio: number | undefined, band: { p10: number; p90: number } | undefined) => {
      const off = disagreement(ratio);
      const shown = off ? `${formatMoment(value)} (${off})` : formatMoment(value);
      return element('td', { class: off ? 'number off' : 'number', ...(off && { title: `measured is ${off} the prediction` }) },
        [withBand(shown, band, formatMoment)]);
    };
    const number = (text: string) => element('td', { class: 'number' }, [text]);
    const predicted = (value: number, row: LayerRow) => (row.finiteWidth
      ? element('td', { class: 'number finite-width', title: `${capitalize(row.finiteWidth)}; the measured band shows how far.` }, [`${formatMoment(value)} ~`])
      : number(formatMoment(value)));
    const fraction = (value: number | undefined, band: { p10: number; p90: number } | undefined) => number(withBand(formatFraction(value), band, formatFraction));
    this.tableBody.replaceChildren(...rows.map((row) => element('tr', {
      tabindex: '0',
      'data-layer': String(row.index),
      title: row.line === undefined ? 'Show this layer in the editor'
        : row.cell === undefined ? `Show line ${row.line} in the editor` : `Show cell ${row.cell + 1}, line ${row.line} in the editor`,
    }, [
      number(String(row.index + 1)),
      element('td', {}, [row.className]),
      number(sourcePlace(row) ?? '—'),
      element('td', {}, [row.activation]),
      element('td', {}, [row.recommendedInitializer ? `${row.initializer} → ${row.recommendedInitializer}` : row.initializer]),
      number(row.fanIn === undefined ? '—' : String(row.fanIn)),
      predicted(row.predicted.forward, row),
      measured(row.measured?.forward, row.forwardRatio, row.measured?.spread?.forward),
      predicted(row.predicted.backward, row),
      measured(row.measured?.backward, row.backwardRatio, row.measured?.spread?.backward),
      number(formatFraction(row.predicted.inactiveFraction)),
      fraction(row.measured?.deadFraction, row.measured?.spread?.deadFraction),
      fraction(row.measured?.saturatedFraction, row.measured?.spread?.saturatedFraction),
    ])));
  }

  private revealFrom(target: EventTarget | null): void {
    const row = target instanceof Element ? target.closest('tr[data-layer]') : null;
    if (row) this.handlers.onReveal(Number(row.getAttribute('data-layer')));
  }

  private numberField(id: string, min: number, max: number): VscodeTextfield {
    return element('vscode-textfield', { id, type: 'number', min: String(min), max: String(max), step: '1' }) as VscodeTextfield;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

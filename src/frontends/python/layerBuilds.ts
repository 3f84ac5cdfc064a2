/**
 * When a Keras layer's weights exist, and the initializers assigned to its attributes after that.
 * Keras draws a layer's weights once, in `build`, which runs when the layer learns its input shape: when its
 * model knows one (an `Input`, `input_shape=` on the first layer), when it is called on a tensor, by
 * `model.build(…)`, or by the first `fit`/`predict`/`summary` (Keras 3 keras/src/layers/layer.py
 * `Layer.__call__` → `_maybe_build`; keras/src/models/sequential.py `Sequential.add` builds the model as soon
 * as it has an input shape). `layer.kernel_initializer = …` afterwards is stored and never read again.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Arg, CallSite, InitializerAssignment, LayerBuild, RawModel, Span } from '../../core/ir';
import type { SourceText } from './syntax';
import { spanOf } from './syntax';
import type { GraphNode } from './models';
import type { PyValue, SequentialBuild } from './values';

/** Model methods that build an unbuilt model's layers (they need its weights). */
export const BUILDING_METHODS = new Set([
  'fit', 'fit_generator', 'predict', 'predict_on_batch', 'evaluate', 'train_on_batch', 'test_on_batch', 'summary', 'save', 'save_weights',
  'get_weights', 'count_params',
]);

/** Layer attributes that hold an initializer: what an assignment after the build leaves unread. */
const INITIALIZER_ATTRIBUTE = /^[a-z_]+_initializer$/;

export function isInitializerAttribute(name: string): boolean {
  return INITIALIZER_ATTRIBUTE.test(name);
}

type Written = Omit<InitializerAssignment, 'layers'>;

interface PendingAssignment extends Written {
  sites: { site: CallSite; built?: LayerBuild }[];
}

export class BuildLedger {
  private readonly built = new Map<CallSite, LayerBuild>();
  /** By the assignment statement's start: a loop over layers makes one assignment of many layers. */
  private readonly assignments = new Map<number, PendingAssignment>();
  private readonly sequentials = new Map<SequentialBuild, { built?: LayerBuild; settled: number }>();
  private reads = 0;

  /** Runs `read` as InitLint's own reading (a model class's `call` on a stand-in input): the user's code built nothing there. */
  reading<T>(read: () => T): T {
    this.reads++;
    try {
      return read();
    } finally {
      this.reads--;
    }
  }

  markBuilt(site: CallSite, build: LayerBuild): void {
    if (this.reads === 0 && !this.built.has(site)) this.built.set(site, build);
  }

  /** Whether `site`'s weights exist (a use of its model builds nothing more). */
  isBuilt(site: CallSite): boolean {
    return this.built.has(site);
  }

  /** Whether a Sequential model knows its input shape and every layer it holds is built. */
  isSequentialBuilt(build: SequentialBuild): boolean {
    const state = this.sequentials.get(build);
    return !!state?.built && state.settled === build.layers.length && build.layers.every((layer) => this.built.has(layer.site));
  }

  assign(site: CallSite, written: Written): void {
    let pending = this.assignments.get(written.span.start);
    if (!pending) {
      pending = { ...written, sites: [] };
      this.assignments.set(written.span.start, pending);
    }
    if (pending.sites.some((entry) => entry.site === site)) return;
    const built = this.built.get(site);
    pending.sites.push(built ? { site, built } : { site });
  }

  /**
   * A Sequential model's layers once it knows its input shape (`shape`, where it is written): the layers it had
   * then are built by it, each layer added later by being added.
   */
  settleSequential(build: SequentialBuild, shape: Arg | undefined, by: LayerBuild['by'] = 'input', at?: Span): void {
    let state = this.sequentials.get(build);
    if (!state) {
      state = { settled: 0 };
      this.sequentials.set(build, state);
    }
    if (!state.built) {
      const written = shape ?? build.inputShape ?? firstLayerShape(build.layers[0]?.site);
      if (!written && by === 'input') return;
      state.built = { by, span: at ?? written!.span };
    }
    for (let index = state.settled; index < build.layers.length; index++) {
      const site = build.layers[index].site;
      this.markBuilt(site, state.settled === 0 ? state.built : { by: 'added', span: site.span });
    }
    state.settled = build.layers.length;
  }

  /** Each model's assignments, with its layers as indices (a call repeated by a loop is each of its copies). */
  attach(models: RawModel[]): void {
    if (!this.assignments.size) return;
    for (const model of models) {
      const indices = new Map<CallSite, number[]>();
      model.layers.forEach((layer, index) => {
        const list = indices.get(layer.call);
        if (list) list.push(index);
        else indices.set(layer.call, [index]);
      });
      const found: InitializerAssignment[] = [];
      for (const { sites, ...written } of this.assignments.values()) {
        const layers = sites.flatMap(({ site, built }) => (indices.get(site) ?? []).map((index) => (built ? { index, built } : { index })));
        if (layers.length) found.push({ ...written, layers });
      }
      if (found.length) model.initializerAssignments = found;
    }
  }
}

/** The layer calls a model value holds: a Sequential's layers, a functional model's constructed nodes, a model object's attributes. */
export function layerSitesOf(value: PyValue, graph: GraphNode[], ancestors: (outputs: number[]) => number[]): CallSite[] {
  const sites: CallSite[] = [];
  const visit = (item: PyValue, depth: number): void => {
    if (depth > 4) return;
    switch (item.t) {
      case 'sequential': for (const layer of item.build.layers) sites.push(layer.site); return;
      case 'functional':
        for (const id of ancestors(item.build.outputs)) {
          const node = graph[id];
          if (node.site && node.constructed) sites.push(node.site);
        }
        return;
      case 'call': sites.push(item.site); return;
      case 'list': for (const inner of item.items) visit(inner, depth + 1); return;
      case 'object': for (const inner of item.attrs.values()) visit(inner, depth + 1); return;
      default: return;
    }
  };
  visit(value, 0);
  return sites;
}

/**
 * `target.field = value` where `target` is a layer: what the rule needs about the statement. `statement` is the
 * assignment; the fixes either delete it (its own lines, or a `for` loop whose body only assigns initializers)
 * or replace it.
 */
export function writtenAssignment(source: SourceText, statement: SyntaxNode, targetObject: SyntaxNode, field: string, value: Arg): Written {
  const span = spanOf(statement);
  const text = source.text;
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const ownLine = /^[ \t]*$/.test(text.slice(lineStart, span.start));
  const loop = enclosingLoop(statement);
  const written: Written = {
    field, value, span, target: source.slice(targetObject), ownLine, inLoop: !!loop,
  };
  const removal = removalOf(source, statement, loop);
  return removal ? { ...written, removal } : written;
}

function enclosingLoop(statement: SyntaxNode): SyntaxNode | undefined {
  for (let node = statement.parent; node; node = node.parent) {
    if (node.name === 'ForStatement' || node.name === 'WhileStatement') return node;
    if (node.name === 'FunctionDefinition' || node.name === 'ClassDefinition') return undefined;
  }
  return undefined;
}

/** What takes the statement out: its whole lines when the block keeps a statement, else the loop that only assigns initializers. */
function removalOf(source: SourceText, statement: SyntaxNode, loop: SyntaxNode | undefined): { span: Span; newText: string } | undefined {
  const body = statement.parent;
  if (!body) return undefined;
  const siblings = statementsOf(body);
  if (siblings.length > 1) return wholeLines(source, spanOf(statement));
  if (loop && body.parent === loop && body.name === 'Body') return wholeLines(source, spanOf(loop));
  // The only statement of an `if`/`with` body: `pass` keeps the block valid.
  return body.name === 'Body' ? { span: spanOf(statement), newText: 'pass' } : wholeLines(source, spanOf(statement));
}

function statementsOf(body: SyntaxNode): SyntaxNode[] {
  const statements: SyntaxNode[] = [];
  for (let child = body.firstChild; child; child = child.nextSibling) {
    if (child.name.endsWith('Statement') || child.name === 'FunctionDefinition' || child.name === 'ClassDefinition') statements.push(child);
  }
  return statements;
}

/** The lines a span covers, with their line break, when nothing else is written on them; else undefined. */
function wholeLines(source: SourceText, span: Span): { span: Span; newText: string } | undefined {
  const text = source.text;
  const start = text.lastIndexOf('\n', span.start - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(start, span.start))) return undefined;
  let end = span.end;
  // A compound statement's span already ends after its last line's break.
  if (text[end - 1] !== '\n') {
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    if (end < text.length && text[end] === '\r') end++;
    if (end < text.length && text[end] === '\n') end++;
    else if (end < text.length) return undefined;
  }
  return { span: { start, end }, newText: '' };
}

/** `input_shape=`, `batch_input_shape=` or `input_dim=` written on a Sequential model's first layer. */
function firstLayerShape(site: CallSite | undefined): Arg | undefined {
  return site && (site.keyword.input_shape ?? site.keyword.batch_input_shape ?? site.keyword.input_dim);
}

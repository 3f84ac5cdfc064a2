/**
 * `ineffective-initializer`: an initializer assigned to a layer's attribute after the layer's weights were
 * built. Keras reads `kernel_initializer` once, in the layer's `build`, to draw the weights (Keras 3
 * keras/src/layers/core/dense.py `Dense.build` → `add_weight(initializer=self.kernel_initializer)`); the
 * assignment afterwards changes nothing and the network trains with what was drawn before.
 */
import { camelCase, lastSegment } from '../args';
import type { InitializerParams } from '../catalogue/initializers';
import { NORMALIZATION_KINDS } from '../catalogue/layers';
import { formatNumber, initializerEdits, type InitializerTarget, type TargetArg } from '../fixes';
import type { TextEdit } from '../findings';
import type { InitializerAssignment, LayerBuild, Span } from '../ir';
import type { InitializerRole, Layer } from '../model';
import { resolveInitializer } from '../resolve';
import { fixFor, initializerLabel, targetLabel, type DraftFinding, type RuleContext } from './context';

/**
 * Each initializer attribute, the weight it draws (the attribute a re-draw assigns) and the role InitLint models
 * it as. Sources: Keras 3 keras/src/layers (core/dense.py, core/embedding.py, convolutional/base_conv.py,
 * base_separable_conv.py, base_depthwise_conv.py, rnn/lstm.py, normalization/batch_normalization.py).
 */
const INITIALIZER_FIELDS: Record<string, { weight: string; role?: InitializerRole }> = {
  kernelInitializer: { weight: 'kernel', role: 'kernel' },
  biasInitializer: { weight: 'bias', role: 'bias' },
  recurrentInitializer: { weight: 'recurrent_kernel', role: 'recurrent' },
  embeddingsInitializer: { weight: 'embeddings', role: 'embeddings' },
  depthwiseInitializer: { weight: 'depthwise_kernel', role: 'depthwise' },
  pointwiseInitializer: { weight: 'pointwise_kernel', role: 'pointwise' },
  gammaInitializer: { weight: 'gamma' },
  betaInitializer: { weight: 'beta' },
};

/** Whether the layer has the weight the attribute draws (a Dropout in `for layer in model.layers` has no kernel). */
function hasWeight(layer: Layer, field: { weight: string; role?: InitializerRole }): boolean {
  if (field.role) return field.role === 'bias' ? layer.useBias && !!layer.initializers.bias : !!layer.initializers[field.role];
  return NORMALIZATION_KINDS.has(layer.kind);
}

export function ineffectiveInitializer(context: RuleContext): DraftFinding[] {
  const { model } = context.analysis;
  const findings: DraftFinding[] = [];
  for (const assignment of model.initializerAssignments ?? []) {
    const field = INITIALIZER_FIELDS[camelCase(assignment.field)];
    if (!field) continue;
    const withWeight = assignment.layers.filter(({ index }) => model.layers[index] && hasWeight(model.layers[index], field));
    const built = withWeight.filter((entry) => entry.built);
    if (!built.length) continue;
    const layers = built.map(({ index }) => model.layers[index]);
    const when = buildPhrase(built[0].built!, context.fix.text);
    const assigned = `${assignment.target}.${assignment.field}`;
    const first = layers[0];
    const keeps = field.role ? initializerLabel(first.initializers[field.role], context) : 'what was drawn then';
    const subject = layers.length === 1 ? `the ${first.className} layer's weights were built` : `the weights of the ${layers.length} layers it reaches were built`;
    const message =
      `${assigned} is assigned after ${subject} (${when}): Keras draws a layer's weights once, when it is built, and never reads ` +
      `this attribute again, so ${layers.length === 1 ? 'the layer keeps' : 'they keep'} ${keeps}. ` +
      `Pass the initializer where the layer is made, or re-draw the weights with it.`;
    const everyLayerBuilt = built.length === withWeight.length;
    const inConstructor = field.role && everyLayerBuilt ? constructorFix(context, assignment, field.role, layers) : undefined;
    const redraw = redrawFix(context, assignment, field.weight, !inConstructor);
    const fixes = [inConstructor, redraw].filter((fix) => fix !== undefined);
    findings.push({ rule: 'ineffective-initializer', message, span: assignment.span, fixes, model: model.name, layers: layers.map((layer) => layer.index) });
  }
  return findings;
}

/**
 * "when its model learned its input shape from `input_shape=(784,)`": the source that built the layer, quoted (no
 * line number: in a notebook the program's lines are not the cell's).
 */
function buildPhrase(build: LayerBuild, text: string): string {
  switch (build.by) {
    case 'input': return `when its model learned its input shape from ${quote(text, withKeyword(text, build.span))}`;
    case 'added': return `when ${quote(text, build.span)} was added to a model that knew its input shape`;
    case 'call': return `when it was called on a tensor: ${quote(text, build.span)}`;
    case 'build': case 'use': return `by ${quote(text, build.span)}`;
  }
}

/** A keyword argument's value with its name (`input_shape=(784,)`, `shape=(32,)`), where the name is written just before it. */
function withKeyword(text: string, span: Span): Span {
  const before = /([A-Za-z_]\w*)\s*=\s*$/.exec(text.slice(Math.max(0, span.start - 40), span.start));
  return before ? { start: span.start - before[0].length, end: span.end } : span;
}

/** Source text in backticks, its first line and at most 40 characters. */
function quote(text: string, span: Span): string {
  const written = text.slice(span.start, span.end).split(/\r?\n/)[0];
  return `\`${written.length > 40 ? `${written.slice(0, 39)}…` : written}\``;
}

/**
 * The assigned initializer written into each layer's constructor, and the assignment taken out: what the code
 * meant, done when Keras reads it. Only where the value resolves to an initializer InitLint can write and the
 * assignment can be removed cleanly.
 */
function constructorFix(context: RuleContext, assignment: InitializerAssignment, role: InitializerRole, layers: Layer[]) {
  const removal = assignment.removal;
  const framework = context.fix.framework;
  if (!removal) return undefined;
  const use = resolveInitializer(role, assignment.value, 'glorotUniform', { framework, assumptions: context.assumptions, kerasMajor: 3 });
  if (!use.id || use.unknownString) return undefined;
  const target: InitializerTarget = { id: use.id, args: targetArgs(use.params) };
  const edits: TextEdit[] = [];
  const done = new Set<number>();
  for (const layer of layers) {
    if (done.has(layer.call.span.start)) continue;
    done.add(layer.call.span.start);
    const layerEdits = initializerEdits(layer, role, target, context.fix);
    if (!layerEdits.length || layerEdits.some((edit) => overlaps(edit.span, removal.span))) return undefined;
    for (const edit of layerEdits) if (!edits.some((other) => other.span.start === edit.span.start && other.newText === edit.newText)) edits.push(edit);
  }
  const where = layers.length === 1 ? `${lastSegment(layers[0].call.callee)}(…)` : 'each layer';
  return fixFor(`Pass ${targetLabel(target, framework)} as ${assignment.field} where ${where} is made`, [...edits, removal]);
}

/** The written parameters, as a fix writes them in both languages. */
function targetArgs(params: InitializerParams): TargetArg[] | undefined {
  const args: TargetArg[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const text = typeof value === 'number' ? formatNumber(value) : `'${value}'`;
    args.push({ name, python: text, javascript: text });
  }
  return args.length ? args : undefined;
}

/**
 * `layer.kernel.assign(initializer(layer.kernel.shape))` in place of the assignment: draws the weights again
 * with the initializer meant. In a loop over layers, only the layers that have the weight.
 */
function redrawFix(context: RuleContext, assignment: InitializerAssignment, weight: string, preferred: boolean) {
  const { text, imports } = context.fix;
  const value = assignment.value;
  const written = text.slice(value.span.start, value.span.end);
  let initializer: string | undefined;
  if (value.value.kind === 'call') initializer = written;
  else if (value.value.kind === 'string') {
    // A string id is an initializer only through `initializers.get` (Keras 3 keras/src/initializers/__init__.py).
    const bindings = Object.entries(imports.bindings);
    const keras = bindings.find(([, path]) => path === 'keras' || path === 'tensorflow.keras' || path === 'tf_keras')?.[0];
    const tensorflow = bindings.find(([, path]) => path === 'tensorflow')?.[0];
    const namespace = keras ?? (tensorflow ? `${tensorflow}.keras` : undefined);
    if (namespace) initializer = `${namespace}.initializers.get(${written})`;
  }
  if (!initializer) return undefined;
  const variable = `${assignment.target}.${weight}`;
  const redraw = `${variable}.assign(${initializer}(${variable}.shape))`;
  if (assignment.inLoop && !assignment.ownLine) return undefined;
  const quoteMark = text.includes('"') && !text.includes("'") ? '"' : "'";
  const newText = assignment.inLoop ? `if hasattr(${assignment.target}, ${quoteMark}${weight}${quoteMark}): ${redraw}` : redraw;
  return fixFor(`Re-draw ${variable} with ${written}`, [{ span: assignment.span, newText }], preferred);
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

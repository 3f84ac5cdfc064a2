/**
 * The models a file builds: Sequential builds, the functional graph of layer applications, and the
 * `RawModel`s read from them once the whole file has been interpreted.
 */
import { MODEL_INPUT, modelInput, type Arg, type CallSite, type RawLayer, type RawModel, type Span } from '../../core/ir';
import { BuildLedger, layerSitesOf } from './layerBuilds';
import { lastSegment } from './operations';
import { widerRepeat, type FunctionalBuild, type ObjectValue, type PyValue, type Repeat, type SequentialBuild } from './values';

/** One node of the functional graph: a layer (or function) applied to tensors, or a model input. */
export interface GraphNode {
  /** Absent for inputs. */
  site?: CallSite;
  inputs: number[];
  repeat?: Repeat;
  /** For inputs: the shape written in `Input(shape=…)`. */
  inputShape?: Arg;
  /** A layer object made by a call (`Dense(8)(x)`), rather than a function applied (`tf.nn.relu(x)`). */
  constructed: boolean;
  /** Keys of the models whose layers this node copies or inlines (a sub-model applied to a tensor). */
  owners?: string[];
  /** The first node of a named model applied to tensors: that model's name (`RawLayer.entersModel`). */
  entersModel?: string;
}

export class ModelBook {
  readonly graph: GraphNode[] = [];
  /** Which layers are built, and the initializers assigned to them (see layerBuilds.ts). */
  readonly builds = new BuildLedger();
  private readonly sequentials: SequentialBuild[] = [];
  private readonly functionals: FunctionalBuild[] = [];
  /** The models being inlined right now (a custom layer's `call` run on a tensor of another model). */
  private readonly inlining: string[] = [];
  private readonly ends = new Map<CallSite, { input: number; output: number }>();

  /** `origin`: the `Sequential(…)` call; `span`: the statement that defines the model. */
  newSequential(name: string, named: boolean, span: Span, origin: Span): SequentialBuild {
    const key = `${origin.start}:${origin.end}`;
    const build: SequentialBuild = { key, name, named, span, layers: [], consumed: false };
    this.sequentials.push(build);
    return build;
  }

  newFunctional(name: string, named: boolean, span: Span, origin: Span, style: FunctionalBuild['style'], inputs: number[], outputs: number[]): FunctionalBuild {
    const key = `${origin.start}:${origin.end}`;
    const build: FunctionalBuild = { key, name, named, span, style, inputs, outputs };
    this.functionals.push(build);
    return build;
  }

  input(inputShape: Arg | undefined): number {
    return this.graph.push({ inputs: [], inputShape, constructed: false }) - 1;
  }

  apply(site: CallSite, inputs: number[], constructed: boolean, repeat: Repeat | undefined, owner?: string): number {
    const owners = owner ? [...this.inlining, owner] : this.inlining.length ? [...this.inlining] : undefined;
    return this.graph.push({ site, inputs, constructed, repeat, owners }) - 1;
  }

  /** Runs `inline` with every node it applies marked as part of the model `key`. */
  inline<T>(key: string, inline: () => T): T {
    this.inlining.push(key);
    try {
      return inline();
    } finally {
      this.inlining.pop();
    }
  }

  /** Runs `read` with no model being inlined. */
  standalone<T>(read: () => T): T {
    const inlining = this.inlining.splice(0);
    try {
      return read();
    } finally {
      this.inlining.push(...inlining);
    }
  }

  /** `model.add(x)` / `Sequential([...])`: layers, Inputs (the model's input shape) and nested Sequentials. */
  addToSequential(build: SequentialBuild, item: PyValue, repeat: Repeat | undefined): void {
    switch (item.t) {
      case 'list':
        for (const inner of item.items) this.addToSequential(build, inner, repeat);
        return;
      case 'call':
        if (item.site) build.layers.push({ site: item.site, repeat: widerRepeat(item.repeat, repeat) });
        return;
      case 'object':
        if (item.site) build.layers.push({ site: item.site, repeat: widerRepeat(item.repeat, repeat), object: item });
        return;
      case 'tensor': {
        const node = this.graph[item.node];
        if (!node.site && !build.layers.length) build.inputShape ??= node.inputShape;
        return;
      }
      case 'sequential':
        if (item.build === build) return;
        item.build.consumed = true;
        build.inputShape ??= build.layers.length ? undefined : item.build.inputShape;
        {
          // After other layers, the inner model's leading InputLayer only declares what they hand it (an
          // autoencoder's `Sequential([encoder, decoder])`): a layer of the list, the core took it for the input.
          const skipsInput = build.layers.length > 0 && isInputLayer(item.build.layers[0]?.site);
          const inner = skipsInput ? item.build.layers.slice(1) : item.build.layers;
          const composed = build.layers.length > 0;
          inner.forEach((layer, position) => {
            // A named model composed into another (a GAN's generator and discriminator) starts its own chains.
            const entersModel = position === 0 && item.build.named && composed ? item.build.name : layer.entersModel;
            build.layers.push({ ...layer, repeat: widerRepeat(layer.repeat, repeat), ...(entersModel ? { entersModel } : {}) });
          });
        }
        return;
      default:
        return;
    }
  }

  /**
   * A Sequential model applied to a tensor in a functional graph: its layers, chained. A custom layer it holds
   * (`keras.Sequential([MixerBlock(…) for _ in range(4)])`) brings the layers its `call` applies (`applyCustom`).
   */
  applySequential(build: SequentialBuild, input: number, repeat: Repeat | undefined, applyCustom?: (object: ObjectValue, input: number) => number | undefined): number {
    this.adoptInputShape(input, build.inputShape);
    let last = input;
    let entered = false;
    build.layers.forEach((layer, position) => {
      // A leading InputLayer declares what the model is applied to: Keras applies no layer for it. Kept as a node,
      // it cut the tensor off (the core makes an InputLayer the model's input) and the next layer read the outer
      // model's input width (an autoencoder's decoder Dense(16) after a Dense(8) encoder: fan_in 32).
      if (position === 0 && isInputLayer(layer.site)) {
        this.adoptInputShape(input, inputLayerShape(layer.site));
        return;
      }
      const object = layer.object;
      const first = this.graph.length;
      // Its nodes are this model's too: the model is reported where it is applied, not again on its own.
      const inlined = object && applyCustom ? this.inline(build.key, () => applyCustom(object, last)) : undefined;
      last = inlined ?? this.apply(layer.site, [last], true, widerRepeat(layer.repeat, repeat), build.key);
      // The model is entered at the first node this layer made (a custom layer's `call` makes several).
      const entersModel = !entered && build.named ? build.name : layer.entersModel;
      entered = true;
      if (entersModel) this.graph[first < this.graph.length ? first : last].entersModel = entersModel;
    });
    return last;
  }

  /**
   * Sequential models holding custom layers that nothing applied: each is read as the graph its layers make on an
   * input of its own (`keras.Sequential([Input((64,)), Block(64), Block(64), Dense(10)])`: the layers each
   * block's `call` applies). Run once the file is read, before `finish`.
   */
  readCustomSequentials(applyCustom: (object: ObjectValue, input: number) => number | undefined): void {
    for (const build of this.sequentials) {
      if (build.consumed || !build.layers.some((layer) => layer.object)) continue;
      const input = this.input(build.inputShape);
      const output = this.applySequential(build, input, undefined, applyCustom);
      build.consumed = true;
      this.functionals.push({ key: build.key, name: build.name, named: build.named, span: build.span, style: 'sequential', inputs: [input], outputs: [output] });
    }
  }

  /** A functional model applied to tensors: its graph copied onto them. */
  applyFunctional(build: FunctionalBuild, inputs: number[], repeat: Repeat | undefined): number[] {
    const copies = new Map<number, number>();
    build.inputs.forEach((id, index) => {
      copies.set(id, inputs[index] ?? inputs[0]);
      if (inputs[index] !== undefined) this.adoptInputShape(inputs[index], this.graph[id]?.inputShape);
    });
    for (const id of this.ancestors(build.outputs)) {
      const node = this.graph[id];
      if (!node.site) {
        // A declared input keeps the tensor given for it; an input the model reaches without declaring it takes the first.
        if (!copies.has(id)) copies.set(id, inputs[0]);
        continue;
      }
      const mapped = node.inputs.map((input) => copies.get(input)).filter((input): input is number => input !== undefined);
      const copy = this.apply(node.site, mapped, node.constructed, widerRepeat(node.repeat, repeat), build.key);
      // The nodes the model's own inputs feed are where it is entered.
      const entersModel = build.named && node.inputs.some((input) => build.inputs.includes(input)) ? build.name : node.entersModel;
      if (entersModel) this.graph[copy].entersModel = entersModel;
      copies.set(id, copy);
    }
    return build.outputs.map((id) => copies.get(id) ?? inputs[0]);
  }

  /**
   * An input whose shape nothing wrote (a subclassed model's `call` argument) fed to a model that declares its
   * own (`self.encoder(x)` with `encoder_inputs = keras.Input(shape=(28, 28, 1))`) has that shape: the model
   * only accepts it so.
   */
  private adoptInputShape(input: number, shape: Arg | undefined): void {
    const node = this.graph[input];
    if (shape && node && !node.site && !node.inputShape) node.inputShape = shape;
  }

  /**
   * The layers applied since node `first` that descend from `input` and feed no other layer applied since: the
   * heads a subclassed model's `call` computed when what it returns is no tensor (a `tfp` distribution's sample).
   */
  headsSince(input: number, first: number): number[] {
    const end = this.graph.length;
    const reached = new Uint8Array(Math.max(end - first, 0));
    const feedsLayer = new Uint8Array(reached.length);
    for (let id = first; id < end; id++) {
      if (this.graph[id].inputs.some((source) => source === input || (source >= first && reached[source - first] === 1))) reached[id - first] = 1;
    }
    for (let id = end - 1; id >= first; id--) {
      const node = this.graph[id];
      if (!reached[id - first] || !(node.constructed || feedsLayer[id - first])) continue;
      for (const source of node.inputs) if (source >= first) feedsLayer[source - first] = 1;
    }
    const heads: number[] = [];
    for (let id = first; id < end; id++) if (reached[id - first] && this.graph[id].constructed && !feedsLayer[id - first]) heads.push(id);
    return heads;
  }

  /** Every node the outputs depend on (inputs included), in application order. */
  ancestors(outputs: number[]): number[] {
    const seen = new Set<number>();
    const stack = [...outputs];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id) || !this.graph[id]) continue;
      seen.add(id);
      for (const input of this.graph[id].inputs) stack.push(input);
    }
    return [...seen].sort((a, b) => a - b);
  }

  /**
   * The models of the file, in source order; models merged into a reported model are left to it. A builder
   * function run once per call builds one model per call (`make_mlp(24, 256, "relu")`, `make_mlp(2, 64, "tanh")`);
   * the same model built again (the same arguments) is reported once.
   */
  finish(): RawModel[] {
    const reported: { key: string; model: RawModel; owners: Set<string> }[] = [];
    for (const build of this.functionals) {
      const read = this.readFunctional(build);
      if (read) reported.push({ key: build.key, ...read });
    }
    const usedInside = new Set<string>();
    for (const { owners } of reported) for (const owner of owners) usedInside.add(owner);
    const models: { key: string; model: RawModel }[] = [];
    for (const build of this.sequentials) {
      if (build.consumed || usedInside.has(build.key) || !build.layers.length) continue;
      models.push({
        key: build.key,
        model: {
          name: build.name,
          style: 'sequential',
          span: build.span,
          layers: build.layers.map((layer, index) => rawLayer(layer.site, index ? [index - 1] : [], layer.repeat, layer.entersModel)),
          ...(build.inputShape ? { inputShape: build.inputShape } : {}),
        },
      });
    }
    for (const entry of reported) if (!usedInside.has(entry.key)) models.push(entry);
    const found = withoutRebuilds(models).sort((a, b) => a.span.start - b.span.start);
    this.builds.attach(found);
    return found;
  }

  /**
   * `base.input` and `base.output` of a pretrained model made by `site` (`ResNet50(include_top=False, …)`): one
   * application of it to an input of its own, with the `input_shape` written on it.
   */
  pretrainedEnds(site: CallSite): { input: number; output: number } {
    let ends = this.ends.get(site);
    if (!ends) {
      const input = this.input(site.keyword.input_shape);
      ends = { input, output: this.apply(site, [input], true, undefined) };
      this.ends.set(site, ends);
    }
    return ends;
  }

  /** Whether every layer of a Sequential or functional model is built: using it (`fit`, `model(x)`) builds nothing more. */
  isFullyBuilt(model: PyValue): boolean {
    if (model.t === 'sequential') return this.builds.isSequentialBuilt(model.build);
    return model.t === 'functional' && this.layerSites(model).every((site) => this.builds.isBuilt(site));
  }

  /** The layer calls a model value holds (`model.layers`): see `layerSitesOf`. */
  layerSites(value: PyValue): CallSite[] {
    return layerSitesOf(value, this.graph, (outputs) => this.ancestors(outputs));
  }

  private readFunctional(build: FunctionalBuild): { model: RawModel; owners: Set<string> } | undefined {
    const ids = this.ancestors(build.outputs);
    const index = new Map<number, number>();
    const layers: RawLayer[] = [];
    const owners = new Set<string>();
    let constructed = false;
    const modelInputs = this.modelInputs(build.inputs, ids);
    for (const id of ids) {
      const node = this.graph[id];
      if (!node.site) continue;
      index.set(id, layers.length);
      for (const owner of node.owners ?? []) if (owner !== build.key) owners.add(owner);
      constructed ||= node.constructed;
      // An input node is modelInput(k); a layer fed by the first model input only lists nothing.
      const inputs = node.inputs.map((input) => index.get(input) ?? modelInput(Math.max(0, modelInputs.indexOf(input))));
      layers.push(rawLayer(node.site, inputs.every((input) => input === MODEL_INPUT) ? [] : inputs, node.repeat, node.entersModel));
    }
    // Without one layer object the model is functions applied to tensors: a custom layer whose `call` only
    // uses its own weights, or layers taken from a loaded model (`decoder_lstm = model.layers[3]`).
    if (!constructed) return undefined;
    const inputShape = this.inputShapeOf(build.inputs.length ? build.inputs : ids);
    const inputShapes = modelInputs.length > 1 ? modelInputs.map((id) => this.graph[id].inputShape) : undefined;
    return {
      model: { name: build.name, style: build.style, span: build.span, layers, ...(inputShape ? { inputShape } : {}), ...(inputShapes ? { inputShapes } : {}) },
      owners,
    };
  }

  /** The model's input nodes: the declared ones in their order (`keras.Model([a, b], …)`), then any other reached. */
  private modelInputs(declared: number[], ids: number[]): number[] {
    const isInput = (id: number) => !!this.graph[id] && !this.graph[id].site;
    const inputs = declared.filter(isInput);
    for (const id of ids) if (isInput(id) && !inputs.includes(id)) inputs.push(id);
    return inputs;
  }

  private inputShapeOf(ids: number[]): Arg | undefined {
    for (const id of ids) {
      const node = this.graph[id];
      if (node && !node.site && node.inputShape) return node.inputShape;
    }
    return undefined;
  }
}

/**
 * Models built by the same call (a builder function run more than once) with the same layers: the first.
 * Repeat markers do not count: a builder called in a loop marks its layers with that loop's iteration. A build
 * that knows less (a helper run alone with unknown arguments, beside its call with `args.hidden`) is the same
 * model seen less well: the better-known one is kept.
 */
function withoutRebuilds(models: { key: string; model: RawModel }[]): RawModel[] {
  const builds = new Map<string, number>();
  for (const { key } of models) builds.set(key, (builds.get(key) ?? 0) + 1);
  const keptByKey = new Map<string, RawModel[]>();
  const kept: RawModel[] = [];
  for (const { key, model } of models) {
    // Most models are built once: only rebuilt ones are compared.
    if ((builds.get(key) ?? 0) > 1) {
      const same = keptByKey.get(key) ?? [];
      if (same.some((other) => sameWithoutRepeats(model, other, true))) continue;
      const lessKnown = same.findIndex((other) => sameWithoutRepeats(other, model, true));
      if (lessKnown >= 0) {
        kept[kept.indexOf(same[lessKnown])] = model;
        same[lessKnown] = model;
        continue;
      }
      same.push(model);
      keptByKey.set(key, same);
    }
    kept.push(model);
  }
  return kept;
}

/**
 * Equal as JSON once `repeat` fields are dropped (compared in place: serializing each model cost more than the
 * rest of its reading). `unknownMatches`: an unknown value in `a` matches whatever `b` holds there.
 */
function sameWithoutRepeats(a: unknown, b: unknown, unknownMatches = false): boolean {
  if (a === b) return true;
  if (unknownMatches && typeof a === 'object' && a !== null && (a as { kind?: unknown }).kind === 'unknown') return true;
  if (typeof a === 'number' && typeof b === 'number') return !Number.isFinite(a) && !Number.isFinite(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameWithoutRepeats(a[i] ?? null, b[i] ?? null, unknownMatches)) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let fields = 0;
  for (const field in left) {
    if (field === 'repeat' || left[field] === undefined || typeof left[field] === 'function') continue;
    fields++;
    if (!sameWithoutRepeats(left[field], right[field], unknownMatches)) return false;
  }
  for (const field in right) if (field !== 'repeat' && right[field] !== undefined && typeof right[field] !== 'function') fields--;
  return fields === 0;
}

function rawLayer(call: CallSite, inputs: number[], repeat: Repeat | undefined, entersModel?: string): RawLayer {
  const layer: RawLayer = repeat ? { call, inputs, repeat } : { call, inputs };
  if (entersModel && inputs.length) layer.entersModel = entersModel;
  return layer;
}

/** `batch_shape=(None, 784)` → the shape without its batch dimension, as an Arg. */
function isInputLayer(site: CallSite | undefined): boolean {
  return site !== undefined && lastSegment(site.callee) === 'InputLayer';
}

/** The shape an `InputLayer(input_shape=…)` (or `shape=`, `batch_input_shape=`, `batch_shape=`) declares. */
function inputLayerShape(site: CallSite): Arg | undefined {
  const batched = site.keyword.batch_input_shape ?? site.keyword.batch_shape;
  return site.keyword.input_shape ?? site.keyword.shape ?? site.positional[0] ?? (batched && withoutBatch(batched));
}

export function withoutBatch(arg: Arg): Arg {
  return arg.value.kind === 'array' ? { span: arg.span, value: { kind: 'array', items: arg.value.items.slice(1) } } : arg;
}

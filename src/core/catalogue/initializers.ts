/**
 * Weight initializers as each framework really implements them (SCIENCE.md §3): the ids each accepts,
 * their parameters, and the distribution they actually sample — which is what the variance of a layer,
 * the probe's sampling and every rule depend on.
 *
 * Sources: tfjs-layers src/initializers.ts (INITIALIZER_IDENTIFIER_REGISTRY_SYMBOL_MAP, VarianceScaling.apply:
 * `truncatedNormal(stddev = sqrt(scale / n))`, only distribution === 'normal' is tested);
 * Keras 3 keras/src/initializers/random_initializers.py (VarianceScaling: stddev / .87962566103423978).
 */
import type { Framework } from '../ir';
import { TRUNCATED_NORMAL_VARIANCE_FACTOR } from '../math';
import { looseKey } from './activations';

export type InitializerId =
  | 'zeros' | 'ones' | 'constant' | 'randomNormal' | 'randomUniform' | 'truncatedNormal' | 'varianceScaling'
  | 'glorotNormal' | 'glorotUniform' | 'heNormal' | 'heUniform' | 'lecunNormal' | 'lecunUniform'
  | 'orthogonal' | 'identity';

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** What is really drawn. `truncated` is cut at ±2σ; `corrected` rescales σ by 1/0.8796 so Var is exact. */
export type Sampler = 'normal' | 'uniform' | 'truncatedUncorrected' | 'truncatedCorrected';

/** The distribution a framework samples for an initializer: what the probe reproduces. */
export type Sampling =
  | { kind: 'varianceScaling'; scale: number; mode: FanMode; sampler: Sampler }
  | { kind: 'normal'; sampler: 'normal' | 'truncatedUncorrected'; mean: number; stddev: number }
  | { kind: 'uniform'; minval: number; maxval: number }
  | { kind: 'constant'; value: number }
  | { kind: 'orthogonal'; gain: number }
  | { kind: 'identity'; gain: number };

/** Parameters as written, under their camelCase names (Keras snake_case keywords are converted). */
export interface InitializerParams {
  scale?: number;
  mode?: string;
  distribution?: string;
  mean?: number;
  stddev?: number;
  minval?: number;
  maxval?: number;
  value?: number;
  gain?: number;
}

/** The shape of an initializer family: which rules and fixes apply. */
export type InitializerCategory = 'varianceScaling' | 'fixedScale' | 'constant' | 'orthogonal';

interface InitializerFacts {
  category: InitializerCategory;
  /** Named variance-scaling initializers: their fixed scale, mode and distribution. */
  named?: { scale: number; mode: FanMode; distribution: 'normal' | 'uniform' };
  /** Keras positional parameter order (`RandomNormal(0.0, 0.05)`, `VarianceScaling(2.0, 'fan_in')`). */
  kerasPositional: (keyof InitializerParams)[];
  keras: { className: string; snake: string };
  tfjs: { id: string; className: string };
}

export const INITIALIZERS: Record<InitializerId, InitializerFacts> = {
  zeros: { category: 'constant', kerasPositional: [], keras: { className: 'Zeros', snake: 'zeros' }, tfjs: { id: 'zeros', className: 'Zeros' } },
  ones: { category: 'constant', kerasPositional: [], keras: { className: 'Ones', snake: 'ones' }, tfjs: { id: 'ones', className: 'Ones' } },
  constant: { category: 'constant', kerasPositional: ['value'], keras: { className: 'Constant', snake: 'constant' }, tfjs: { id: 'constant', className: 'Constant' } },
  randomNormal: {
    category: 'fixedScale', kerasPositional: ['mean', 'stddev'],
    keras: { className: 'RandomNormal', snake: 'random_normal' }, tfjs: { id: 'randomNormal', className: 'RandomNormal' },
  },
  randomUniform: {
    category: 'fixedScale', kerasPositional: ['minval', 'maxval'],
    keras: { className: 'RandomUniform', snake: 'random_uniform' }, tfjs: { id: 'randomUniform', className: 'RandomUniform' },
  },
  truncatedNormal: {
    category: 'fixedScale', kerasPositional: ['mean', 'stddev'],
    keras: { className: 'TruncatedNormal', snake: 'truncated_normal' }, tfjs: { id: 'truncatedNormal', className: 'TruncatedNormal' },
  },
  varianceScaling: {
    category: 'varianceScaling', kerasPositional: ['scale', 'mode', 'distribution'],
    keras: { className: 'VarianceScaling', snake: 'variance_scaling' }, tfjs: { id: 'varianceScaling', className: 'VarianceScaling' },
  },
  glorotNormal: {
    category: 'varianceScaling', named: { scale: 1, mode: 'fanAvg', distribution: 'normal' }, kerasPositional: [],
    keras: { className: 'GlorotNormal', snake: 'glorot_normal' }, tfjs: { id: 'glorotNormal', className: 'GlorotNormal' },
  },
  glorotUniform: {
    category: 'varianceScaling', named: { scale: 1, mode: 'fanAvg', distribution: 'uniform' }, kerasPositional: [],
    keras: { className: 'GlorotUniform', snake: 'glorot_uniform' }, tfjs: { id: 'glorotUniform', className: 'GlorotUniform' },
  },
  heNormal: {
    category: 'varianceScaling', named: { scale: 2, mode: 'fanIn', distribution: 'normal' }, kerasPositional: [],
    keras: { className: 'HeNormal', snake: 'he_normal' }, tfjs: { id: 'heNormal', className: 'HeNormal' },
  },
  heUniform: {
    category: 'varianceScaling', named: { scale: 2, mode: 'fanIn', distribution: 'uniform' }, kerasPositional: [],
    keras: { className: 'HeUniform', snake: 'he_uniform' }, tfjs: { id: 'heUniform', className: 'HeUniform' },
  },
  lecunNormal: {
    category: 'varianceScaling', named: { scale: 1, mode: 'fanIn', distribution: 'normal' }, kerasPositional: [],
    keras: { className: 'LecunNormal', snake: 'lecun_normal' }, tfjs: { id: 'leCunNormal', className: 'LeCunNormal' },
  },
  lecunUniform: {
    category: 'varianceScaling', named: { scale: 1, mode: 'fanIn', distribution: 'uniform' }, kerasPositional: [],
    keras: { className: 'LecunUniform', snake: 'lecun_uniform' }, tfjs: { id: 'leCunUniform', className: 'LeCunUniform' },
  },
  orthogonal: {
    category: 'orthogonal', kerasPositional: ['gain'],
    keras: { className: 'Orthogonal', snake: 'orthogonal' }, tfjs: { id: 'orthogonal', className: 'Orthogonal' },
  },
  identity: {
    category: 'orthogonal', kerasPositional: ['gain'],
    keras: { className: 'Identity', snake: 'identity' }, tfjs: { id: 'identity', className: 'Identity' },
  },
};

const INITIALIZER_IDS = Object.keys(INITIALIZERS) as InitializerId[];

/**
 * String ids each framework accepts. tfjs: the camelCase registry keys and the class names
 * (`getInitializer` falls back to deserialising a class name). Keras: class names and their snake_case
 * aliases, case-sensitive (keras/src/initializers/__init__.py ALL_OBJECTS_DICT), plus legacy aliases.
 */
/** A bare `'constant'` needs its value: both frameworks reject it as a string (tfjs "config must have value set"). */
const STRING_IDS = INITIALIZER_IDS.filter((id) => id !== 'constant');

export const INITIALIZER_STRINGS: Record<Framework, Record<string, InitializerId>> = {
  tfjs: Object.fromEntries(
    STRING_IDS.flatMap((id) => [[INITIALIZERS[id].tfjs.id, id], [INITIALIZERS[id].tfjs.className, id]]),
  ),
  keras: {
    ...Object.fromEntries(STRING_IDS.flatMap((id) => [[INITIALIZERS[id].keras.className, id], [INITIALIZERS[id].keras.snake, id]])),
    OrthogonalInitializer: 'orthogonal', IdentityInitializer: 'identity',
    normal: 'randomNormal', uniform: 'randomUniform', one: 'ones', zero: 'zeros',
  },
};

/** Function/class names callable from code: tfjs `tf.initializers.heNormal(...)`, Keras `HeNormal()` / `he_normal()`. */
const CALL_NAMES: Record<Framework, Record<string, InitializerId>> = {
  tfjs: { ...INITIALIZER_STRINGS.tfjs, constant: 'constant', Constant: 'constant' },
  keras: { ...INITIALIZER_STRINGS.keras, constant: 'constant', Constant: 'constant' },
};

/**
 * TensorFlow 2's own initializers, which Keras layers take like Keras's: tensorflow/python/ops/init_ops_v2.py
 * `tf_export("random_normal_initializer", v1=[])` is `RandomNormal(mean=0.0, stddev=0.05)`,
 * `random_uniform_initializer` `RandomUniform(minval=-0.05, maxval=0.05)`, `constant_initializer`
 * `Constant(value=0)`, with Keras's parameter order. TF1's (`tf.compat.v1.random_normal_initializer`, stddev
 * 1.0) have other defaults and stay unresolved.
 */
const TENSORFLOW_CALL_NAMES: Record<string, InitializerId> = {
  zeros_initializer: 'zeros', ones_initializer: 'ones', constant_initializer: 'constant',
  random_normal_initializer: 'randomNormal', random_uniform_initializer: 'randomUniform',
};

/** The initializer a called (or referenced) dotted path makes: `keras.initializers.HeNormal`, `tensorflow.random_normal_initializer`. */
export function initializerFromCallPath(framework: Framework, path: string): InitializerId | undefined {
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (Object.hasOwn(CALL_NAMES[framework], name)) return CALL_NAMES[framework][name];
  if (framework !== 'keras' || !path.startsWith('tensorflow.') || path.includes('.compat.v1.')) return undefined;
  return Object.hasOwn(TENSORFLOW_CALL_NAMES, name) ? TENSORFLOW_CALL_NAMES[name] : undefined;
}

/** Spelling that the framework accepts for a mistyped string id (`he_normal` in tfjs → `heNormal`). */
export function suggestInitializerSpelling(framework: Framework, written: string): string | undefined {
  const key = looseKey(written);
  const id = STRING_IDS.find((candidate) =>
    [INITIALIZERS[candidate].keras.snake, INITIALIZERS[candidate].tfjs.id, INITIALIZERS[candidate].keras.className].some(
      (spelling) => looseKey(spelling) === key,
    ),
  );
  return id ? preferredString(framework, id) : undefined;
}

/** The string a fix writes: snake_case in Keras, the camelCase registry key in tfjs. */
export function preferredString(framework: Framework, id: InitializerId): string {
  return framework === 'keras' ? INITIALIZERS[id].keras.snake : INITIALIZERS[id].tfjs.id;
}

/** The class (Keras) or factory function (tfjs `tf.initializers.*`) a fix writes as a call. */
export function preferredCallName(framework: Framework, id: InitializerId): string {
  return framework === 'keras' ? INITIALIZERS[id].keras.className : INITIALIZERS[id].tfjs.id;
}

const MODE_NAMES: Record<string, FanMode> = { fan_in: 'fanIn', fan_out: 'fanOut', fan_avg: 'fanAvg', fanIn: 'fanIn', fanOut: 'fanOut', fanAvg: 'fanAvg' };

export interface FrameworkAssumptions {
  /** Keras ≤ 2.1.6 drew truncated normals without the 0.8796 correction, like tfjs does today. */
  kerasCorrectsTruncation: boolean;
}

/** What a framework samples for an initializer with the given parameters. */
export function samplingOf(framework: Framework, id: InitializerId, params: InitializerParams, assumptions: FrameworkAssumptions): Sampling {
  const facts = INITIALIZERS[id];
  const truncated: Sampler = framework === 'keras' && assumptions.kerasCorrectsTruncation ? 'truncatedCorrected' : 'truncatedUncorrected';
  if (facts.named) return namedSampling(id, facts.named, facts.named.distribution === 'uniform' ? 'uniform' : truncated);
  // tfjs uses `args.x || DEFAULT`, so an explicit 0 silently becomes the default (SCIENCE.md §3).
  const orDefault = (value: number | undefined, fallback: number) =>
    value === undefined || (framework === 'tfjs' && value === 0) ? fallback : value;
  switch (id) {
    case 'zeros': return { kind: 'constant', value: 0 };
    case 'ones': return { kind: 'constant', value: 1 };
    case 'constant': return { kind: 'constant', value: params.value ?? 0 };
    case 'randomNormal': return { kind: 'normal', sampler: 'normal', mean: params.mean ?? 0, stddev: orDefault(params.stddev, 0.05) };
    case 'truncatedNormal': return { kind: 'normal', sampler: 'truncatedUncorrected', mean: params.mean ?? 0, stddev: orDefault(params.stddev, 0.05) };
    case 'randomUniform': return { kind: 'uniform', minval: orDefault(params.minval, -0.05), maxval: orDefault(params.maxval, 0.05) };
    case 'orthogonal': return { kind: 'orthogonal', gain: params.gain ?? 1 };
    case 'identity': return { kind: 'identity', gain: params.gain ?? 1 };
    default: break;
  }
  const scale = params.scale ?? 1;
  const mode = MODE_NAMES[params.mode ?? ''] ?? 'fanIn';
  return { kind: 'varianceScaling', scale, mode, sampler: varianceScalingSampler(framework, params.distribution, truncated) };
}

/**
 * A named initializer's sampling: one frozen object per id and sampler, shared by every layer and fix that
 * uses it (most layers of a model use one or two).
 */
function namedSampling(id: InitializerId, named: NonNullable<InitializerFacts['named']>, sampler: Sampler): Sampling {
  const byId = (NAMED_SAMPLINGS[sampler] ??= {});
  return (byId[id] ??= Object.freeze({ kind: 'varianceScaling', scale: named.scale, mode: named.mode, sampler }));
}

const NAMED_SAMPLINGS: Partial<Record<Sampler, Partial<Record<InitializerId, Sampling>>>> = {};

function varianceScalingSampler(framework: Framework, distribution: string | undefined, truncated: Sampler): Sampler {
  if (framework === 'tfjs') {
    // tfjs-layers VarianceScaling.apply: `if (this.distribution === 'normal') truncatedNormal… else uniform`.
    return (distribution ?? 'normal') === 'normal' ? 'truncatedUncorrected' : 'uniform';
  }
  switch (distribution ?? 'truncated_normal') {
    case 'uniform': return 'uniform';
    case 'untruncated_normal': return 'normal';
    // 'normal' is the legacy tf.keras alias of truncated_normal.
    default: return truncated;
  }
}

/** Effective Var(W) for a kernel with these fans — what the signal really sees. */
/** The fan a variance-scaling mode divides by. */
export function modeFan(mode: FanMode, fanIn: number, fanOut: number): number {
  return mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
}

export function weightVariance(sampling: Sampling, fanIn: number, fanOut: number): number {
  switch (sampling.kind) {
    case 'varianceScaling': {
      const variance = sampling.scale / Math.max(modeFan(sampling.mode, fanIn, fanOut), 1);
      return sampling.sampler === 'truncatedUncorrected' ? variance * TRUNCATED_NORMAL_VARIANCE_FACTOR : variance;
    }
    case 'normal':
      return sampling.stddev ** 2 * (sampling.sampler === 'truncatedUncorrected' ? TRUNCATED_NORMAL_VARIANCE_FACTOR : 1);
    case 'uniform':
      return (sampling.maxval - sampling.minval) ** 2 / 12;
    case 'constant':
      return 0;
    case 'orthogonal':
    case 'identity':
      // Orthonormal columns (fan_in ≥ fan_out) keep each unit's scale: c = gain²·min(1, fan_in/fan_out).
      return (sampling.gain ** 2) / Math.max(fanIn, fanOut, 1);
  }
}

/** The distribution family a fix keeps: `glorotNormal` → normal, `heUniform` → uniform. */
export function distributionFamily(id: InitializerId, params: InitializerParams): 'normal' | 'uniform' | undefined {
  const named = INITIALIZERS[id].named;
  if (named) return named.distribution;
  if (id === 'varianceScaling') return params.distribution === 'uniform' ? 'uniform' : 'normal';
  if (id === 'randomUniform') return 'uniform';
  if (id === 'randomNormal' || id === 'truncatedNormal') return 'normal';
  return undefined;
}

/** The named initializer of a recommendation in a distribution family. */
export function namedInitializer(recommendation: Recommendation, family: 'normal' | 'uniform'): InitializerId {
  return NAMED_INITIALIZERS[recommendation][family];
}

const NAMED_INITIALIZERS: Record<Recommendation, Record<'normal' | 'uniform', InitializerId>> = {
  he: { normal: 'heNormal', uniform: 'heUniform' },
  glorot: { normal: 'glorotNormal', uniform: 'glorotUniform' },
  lecun: { normal: 'lecunNormal', uniform: 'lecunUniform' },
};

export type Recommendation = 'he' | 'glorot' | 'lecun';

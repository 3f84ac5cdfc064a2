/** `unknown-identifier`: string ids the framework rejects at run time, with its own spelling as the fix. */
import { suggestActivationSpelling, TF_KERAS_2_ACTIVATION_LAYERS } from '../catalogue/activations';
import { INITIALIZER_STRINGS, INITIALIZERS, suggestInitializerSpelling, type InitializerId } from '../catalogue/initializers';
import { replaceString } from '../fixes';
import type { Span } from '../ir';
import type { InitializerRole } from '../model';
import { fixFor, type DraftFinding, type RuleContext } from './context';

const FRAMEWORK_NAME = { keras: 'Keras', tfjs: 'TensorFlow.js' } as const;

/**
 * A bare `'constant'` is a known id that fails for want of its value (docs/framework-facts.md §1, §3:
 * tfjs builds `config: {}` and throws; Keras 3's `Constant.from_config` reads `config["value"]`).
 */
const CONSTANT_WITHOUT_VALUE = { tfjs: 'throws "config must have value set"', keras: "raises KeyError: 'value'" } as const;
const CONSTANT_SPELLINGS = new Set(['constant', 'Constant']);

/**
 * The framework's spelling. In tfjs a named normal ('heNormal', 'glorotNormal', 'leCunNormal') is drawn from an
 * uncorrected truncated normal (SCIENCE.md §3: 0.7737 of its variance), which truncated-variance may then
 * report at the same place: the exact uniform form is preferred, the literal spelling offered second.
 */
function spellingFixes(what: 'initializer' | 'activation', suggestion: string, span: Span, context: RuleContext): DraftFinding['fixes'] {
  const literal = fixFor(`Use '${suggestion}'`, [replaceString(span, suggestion, context.fix.text)]);
  const id = what === 'initializer' && context.fix.framework === 'tfjs' ? INITIALIZER_STRINGS.tfjs[suggestion] : undefined;
  const uniform = id && UNIFORM_OF[id];
  if (!uniform) return [literal];
  const exact = INITIALIZERS[uniform].tfjs.id;
  return [
    fixFor(`Use '${exact}' (exact variance; tfjs's '${suggestion}' keeps 0.77 of it)`, [replaceString(span, exact, context.fix.text)]),
    { ...literal, preferred: false },
  ];
}

const UNIFORM_OF: Partial<Record<InitializerId, InitializerId>> = { heNormal: 'heUniform', glorotNormal: 'glorotUniform', lecunNormal: 'lecunUniform' };

export function unknownIdentifier(context: RuleContext): DraftFinding[] {
  const { model } = context.analysis;
  const framework = context.fix.framework;
  const kerasMajor = context.assumptions.kerasMajor ?? 3;
  const findings = new Map<string, DraftFinding>();
  const report = (layerIndex: number, span: Span, written: string, what: 'initializer' | 'activation') => {
    const key = `${span.start}:${span.end}`;
    const existing = findings.get(key);
    if (existing) {
      existing.layers.push(layerIndex);
      return;
    }
    const suggestion = what === 'initializer' ? suggestInitializerSpelling(framework, written) : suggestActivationSpelling(framework, written);
    const runtime = framework === 'tfjs' ? `throws "Unknown ${what}: ${written}"` : `raises ValueError (could not interpret ${what} identifier)`;
    const message = what === 'initializer' && CONSTANT_SPELLINGS.has(written)
      ? `'${written}' as a string has no value to fill with: the framework ${CONSTANT_WITHOUT_VALUE[framework]} when the model is built.`
      : tfKeras2Layer(framework, what, written)
        ? `'${written}' is not a Keras 3 activation id: Keras 3 ${runtime} when the model is built (tf.keras 2.x built ${written}() from it` +
          `${written === 'LeakyReLU' ? ', alpha 0.3' : ''})${suggestion ? `; Keras 3 spells it '${suggestion}'` : ''}.`
        : `'${written}' is not a ${FRAMEWORK_NAME[framework]} ${what} id: the framework ${runtime} when the model is built` +
          `${suggestion ? `; ${FRAMEWORK_NAME[framework]} spells it '${suggestion}'` : ''}.`;
    findings.set(key, {
      rule: 'unknown-identifier',
      message,
      span,
      model: model.name,
      layers: [layerIndex],
      fixes: suggestion ? spellingFixes(what, suggestion, span, context) : [],
    });
  };
  for (const layer of model.layers) {
    // `for in`, not Object.values: no array per layer.
    for (const role in layer.initializers) {
      const use = layer.initializers[role as InitializerRole];
      if (use?.unknownString && use.written) report(layer.index, use.written.span, use.unknownString, 'initializer');
    }
    const activation = layer.activation;
    // Configured for tf.keras 2.x, an activation layer's class name is a working activation there.
    const accepted = activation.unknownString !== undefined && kerasMajor < 3 && tfKeras2Layer(framework, 'activation', activation.unknownString);
    if (activation.unknownString && activation.written && !accepted) report(layer.index, activation.written.span, activation.unknownString, 'activation');
  }
  return [...findings.values()];
}

function tfKeras2Layer(framework: 'keras' | 'tfjs', what: 'initializer' | 'activation', written: string): boolean {
  return framework === 'keras' && what === 'activation' && TF_KERAS_2_ACTIVATION_LAYERS.has(written);
}

/** `unknown-identifier`: string ids the framework rejects at run time, with its own spelling as the fix. */
import { suggestActivationSpelling } from '../catalogue/activations';
import { suggestInitializerSpelling } from '../catalogue/initializers';
import { replaceString } from '../fixes';
import type { Span } from '../ir';
import { fixFor, type DraftFinding, type RuleContext } from './context';

const FRAMEWORK_NAME = { keras: 'Keras', tfjs: 'TensorFlow.js' } as const;

/**
 * A bare `'constant'` is a known id that fails for want of its value (docs/framework-facts.md §1, §3:
 * tfjs builds `config: {}` and throws; Keras 3's `Constant.from_config` reads `config["value"]`).
 */
const CONSTANT_WITHOUT_VALUE = { tfjs: 'throws "config must have value set"', keras: "raises KeyError: 'value'" } as const;
const CONSTANT_SPELLINGS = new Set(['constant', 'Constant']);

export function unknownIdentifier(context: RuleContext): DraftFinding[] {
  const { model } = context.analysis;
  const framework = context.fix.framework;
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
      : `'${written}' is not a ${FRAMEWORK_NAME[framework]} ${what} id: the framework ${runtime} when the model is built` +
        `${suggestion ? `; ${FRAMEWORK_NAME[framework]} spells it '${suggestion}'` : ''}.`;
    findings.set(key, {
      rule: 'unknown-identifier',
      message,
      span,
      model: model.name,
      layers: [layerIndex],
      fixes: suggestion ? [fixFor(`Use '${suggestion}'`, [replaceString(span, suggestion, context.fix.text)])] : [],
    });
  };
  for (const layer of model.layers) {
    for (const use of Object.values(layer.initializers)) {
      if (use?.unknownString && use.written) report(layer.index, use.written.span, use.unknownString, 'initializer');
    }
    const activation = layer.activation;
    if (activation.unknownString && activation.written) report(layer.index, activation.written.span, activation.unknownString, 'activation');
  }
  return [...findings.values()];
}

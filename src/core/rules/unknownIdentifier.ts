/** `unknown-identifier`: string ids the framework rejects at run time, with its own spelling as the fix. */
import { suggestActivationSpelling } from '../catalogue/activations';
import { suggestInitializerSpelling } from '../catalogue/initializers';
import { replaceString } from '../fixes';
import type { Span } from '../ir';
import { fixFor, type DraftFinding, type RuleContext } from './context';

const FRAMEWORK_NAME = { keras: 'Keras', tfjs: 'TensorFlow.js' } as const;

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
    const message =
      `'${written}' is not a ${FRAMEWORK_NAME[framework]} ${what} id: the framework ${runtime} when the model is built` +
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

/**
 * A function of the file whose body is a known activation: `def swish(x): return x * tf.math.sigmoid(x)` and
 * `x * tf.math.tanh(tf.math.softplus(x))` (how PINNs write swish and mish), `lambda x: tf.nn.relu(x)`. Passed as
 * `activation=`, Keras applies that activation; read as a custom one it was modelled as the identity, and a chain
 * of swish layers under He (×0.71 a layer) was reported as growing ×2 a layer.
 */
import type { SyntaxNode } from '@lezer/common';
import { activationFromFunctionName } from '../../core/catalogue/activations';
import { childNamed, childrenOf, type SourceText } from './syntax';
import type { Param } from './values';

/** A return expression longer than this is no one-line activation formula: it is not sliced out. */
const MAX_FORMULA_LENGTH = 200;

/** A function name with any module prefix: `sigmoid`, `tf.math.sigmoid`, `keras.ops.sigmoid`, `K.sigmoid`. */
const QUALIFIED = String.raw`(?:[A-Za-z_]\w*\.)*`;

/** The Keras name of the activation a `def` or `lambda` computes, when its one statement is a known formula. */
export function activationOfFunction(source: SourceText, syntax: SyntaxNode, params: readonly Param[]): string | undefined {
  const inputs = params.filter((param, index) => param.kind === 'plain' && !(index === 0 && param.name === 'self'));
  if (inputs.length !== 1 || inputs[0].defaultValue || params.some((param) => param.kind !== 'plain')) return undefined;
  const formula = returnedExpression(syntax);
  if (!formula || formula.to - formula.from > MAX_FORMULA_LENGTH) return undefined;
  return activationOfFormula(source.slice(formula).replace(/\s+/g, ''), inputs[0].name);
}

/** A lambda's expression, or the expression of a `def` whose body is one `return` (after a docstring). */
function returnedExpression(syntax: SyntaxNode): SyntaxNode | undefined {
  if (syntax.name === 'LambdaExpression') return syntax.lastChild ?? undefined;
  const body = childNamed(syntax, 'Body');
  if (!body) return undefined;
  const statements = childrenOf(body).filter((node) => node.name !== ':');
  const docstring = statements[0]?.name === 'ExpressionStatement' && statements[0].firstChild?.name === 'String';
  const rest = docstring ? statements.slice(1) : statements;
  if (rest.length !== 1 || rest[0].name !== 'ReturnStatement') return undefined;
  const [, expression] = childrenOf(rest[0]);
  return expression;
}

function activationOfFormula(formula: string, input: string): string | undefined {
  const x = input.replace(/[^\w]/g, '');
  const unwrapped = formula.replace(/^\((.*)\)$/, '$1');
  const of = (name: string) => String.raw`${QUALIFIED}${name}\(${x}\)`;
  const either = (a: string, b: string) => new RegExp(`^(?:${a}\\*${b}|${b}\\*${a})$`);
  if (either(x, of('sigmoid')).test(unwrapped)) return 'swish';
  if (either(x, String.raw`${QUALIFIED}tanh\(${of('softplus')}\)`).test(unwrapped)) return 'mish';
  if (unwrapped === x) return 'linear';
  const single = new RegExp(String.raw`^${QUALIFIED}(\w+)\(${x}\)$`).exec(unwrapped);
  return single && activationFromFunctionName(single[1]) ? single[1] : undefined;
}

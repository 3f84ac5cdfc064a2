/**
 * Binding names to values: `const x = …`, destructuring (`const {layers} = tf`, `const [a, b] = …`),
 * parameters with defaults (`function build(depth = 20)`, `function build({depth = 20} = {})`).
 */
import type * as ts from 'typescript';
import { memberOf, propertyKey } from './expressions';
import type { Evaluator } from './state';
import { UNDEFINED, UNKNOWN, type Scope, type Value } from './values';

/**
 * Declares every name of `name` in `scope`. A default applies when the value is undefined, and also
 * when it is unknown: unknown means nobody we can see passed it, so the file's own default is the guess.
 */
export function bindName(ev: Evaluator, name: ts.BindingName, value: Value, scope: Scope, initializer?: ts.Expression): void {
  const kind = ev.syntax;
  if (initializer && (value.kind === 'undefined' || value.kind === 'unknown')) value = ev.evaluate(initializer, scope);
  if (name.kind === kind.Identifier) {
    scope.declare(name.text, value);
  } else if (name.kind === kind.ObjectBindingPattern) {
    const taken: string[] = [];
    for (const element of name.elements) {
      if (element.dotDotDotToken) {
        bindName(ev, element.name, restOf(value, taken), scope);
        continue;
      }
      const property = element.propertyName ?? element.name;
      const key = propertyKey(ev, property as ts.PropertyName, scope);
      if (key !== undefined) taken.push(key);
      bindName(ev, element.name, key === undefined ? UNKNOWN : memberOf(value, key), scope, element.initializer);
    }
  } else {
    name.elements.forEach((element, index) => {
      if (element.kind === kind.OmittedExpression) return;
      const item = element.dotDotDotToken
        ? (value.kind === 'array' ? { kind: 'array' as const, items: value.items.slice(index) } : UNKNOWN)
        : memberOf(value, String(index));
      bindName(ev, element.name, item, scope, element.initializer);
    });
  }
}

function restOf(value: Value, taken: string[]): Value {
  if (value.kind !== 'object') return UNKNOWN;
  const props = new Map([...value.props].filter(([key]) => !taken.includes(key)));
  return { kind: 'object', props, complete: value.complete };
}

/** Binds a function's parameters to the arguments of one call; `this` parameters take no argument. */
export function bindParameters(ev: Evaluator, parameters: readonly ts.ParameterDeclaration[], args: Value[], scope: Scope): void {
  let index = 0;
  for (const parameter of parameters) {
    if (parameter.name.kind === ev.syntax.Identifier && parameter.name.text === 'this') continue;
    if (parameter.dotDotDotToken) {
      const rest = args.slice(index).map((value) => ({ value, span: ev.span(parameter) }));
      bindName(ev, parameter.name, { kind: 'array', items: rest }, scope);
      return;
    }
    const value = args[index++] ?? UNDEFINED;
    bindName(ev, parameter.name, value, scope, parameter.initializer);
  }
}

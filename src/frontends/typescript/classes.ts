/**
 * Classes of the file: a class's methods become closures sharing one instance, and a class extending tfjs's
 * `Sequential`, `LayersModel` or `layers.Layer` gives that instance its tfjs base (customLayers.ts).
 */
import type * as ts from 'typescript';
import { tfjsBaseOf } from './customLayers';
import { closure, nameFunction, nameModel, propertyKey } from './expressions';
import { guarded, type Evaluator } from './state';
import { rebound, Scope, UNKNOWN, type ClassValue, type ObjectValue, type Value } from './values';

/**
 * A class's methods become closures sharing one `this` object, so `this.model = tf.sequential()` in
 * one method and `this.model.add(…)` in another meet; they run on their own at the end, constructor first,
 * unless `new C(args)` runs the constructor with its arguments first (`new DenseNet([256, 256]).build(784)`).
 * A class expression (`module.exports = class TwoTower {…}`) is the same class, its name seen only inside it.
 */
export function declareClass(ev: Evaluator, statement: ts.ClassLikeDeclaration, scope: Scope, className = statement.name?.text): ClassValue {
  const tsModule = ev.ts;
  const instance: ObjectValue = { kind: 'object', props: new Map(), complete: false };
  const extended = extendedValue(ev, statement, scope);
  const parent = extended?.kind === 'class' ? extended : undefined;
  const base = parent ? parent.instance.base : extended?.kind === 'reference' ? tfjsBaseOf(extended.path) : undefined;
  if (base) instance.base = base;
  // What the class inherits from a class of the file (`class Projection extends LayerBase`): its fields and
  // methods, the methods on this class's instance; its own members, declared below, replace them.
  if (parent) for (const [key, slot] of parent.instance.props) instance.props.set(key, rebound(slot, parent.instance, instance));
  ev.state.classDeclarations.set(instance, { node: statement, name: className });
  const classValue: ClassValue = { kind: 'class', instance };
  if (statement.name) scope.declare(statement.name.text, classValue);
  const members = [...statement.members].sort((a, b) => Number(tsModule.isConstructorDeclaration(b)) - Number(tsModule.isConstructorDeclaration(a)));
  for (const member of members) {
    const key = member.name ? propertyKey(ev, member.name, scope) : 'constructor';
    const name = className && key ? `${className}.${key}` : key;
    if (tsModule.isPropertyDeclaration(member) && member.initializer) {
      // Initializers see the instance as `this`, and so do the arrow functions they make.
      const propertyScope = new Scope(scope);
      propertyScope.declare('this', instance);
      const value = guarded(() => ev.evaluate(member.initializer as ts.Expression, propertyScope)) ?? UNKNOWN;
      if (name) nameFunction(value, name, ev.span(member));
      if (key) nameModel(value, key, ev.span(member));
      if (key) instance.props.set(key, { value, span: ev.span(member.initializer) });
    } else if ((tsModule.isMethodDeclaration(member) || tsModule.isConstructorDeclaration(member)) && member.body) {
      const value = closure(ev, member as ts.MethodDeclaration, scope, instance, name);
      if (key && tsModule.isMethodDeclaration(member)) instance.props.set(key, { value, span: ev.span(member) });
      if (tsModule.isConstructorDeclaration(member) && value.kind === 'function') {
        classValue.construct = value.closure;
        if (parent?.construct) value.closure.superConstruct = parent.construct;
      }
    } else if (tsModule.isGetAccessorDeclaration(member) && member.body) {
      // Not a value we can give `this.model` (reading it would have to run it), but run on its own at the
      // end like a method nobody calls: a model built in `get model()` is found.
      closure(ev, member, scope, instance, name);
    }
  }
  return classValue;
}

/**
 * `class TwoTower {…}` as a value: its written name is bound in a scope of its own, as JavaScript binds it;
 * `name` is the one an anonymous class takes from `const Net = class {…}`.
 */
export function classExpression(ev: Evaluator, node: ts.ClassExpression, scope: Scope, name?: string): ClassValue {
  return declareClass(ev, node, new Scope(scope), node.name?.text ?? name);
}

/** What a class extends: a class of the file, or a name from outside it (tfjs's Sequential, LayersModel, Layer). */
function extendedValue(ev: Evaluator, statement: ts.ClassLikeDeclaration, scope: Scope): Value | undefined {
  const clause = statement.heritageClauses?.find((heritage) => heritage.token === ev.syntax.ExtendsKeyword);
  const extended = clause?.types[0]?.expression;
  return extended ? guarded(() => ev.evaluate(extended, scope)) : undefined;
}


/** `constructor(private depth = 20)` stores the parameter on `this`. */
export function parameterProperties(ev: Evaluator, constructor: ts.FunctionLikeDeclaration, instance: ObjectValue, scope: Scope): void {
  for (const parameter of constructor.parameters) {
    const isProperty = parameter.modifiers?.some((modifier) => modifier.kind !== ev.syntax.Decorator) ?? false;
    if (!isProperty || parameter.name.kind !== ev.syntax.Identifier) continue;
    const value = scope.lookup(parameter.name.text)?.value ?? UNKNOWN;
    instance.props.set(parameter.name.text, { value, span: ev.span(parameter) });
  }
}

/**
 * A `keras.Model` subclass whose `__init__` builds a graph and hands it to the base class:
 * `super().__init__(inputs, outputs)` (also `super(Net, self).__init__(inputs=…, outputs=…)` and
 * `keras.Model.__init__(self, inputs, outputs)`). Keras makes the instance that functional model, so that graph
 * is the class's model: it has no `call` of its own to run, and its layers are locals, not attributes.
 */
import type { SyntaxNode } from '@lezer/common';
import { modelArgument } from './library';
import { lastSegment, tensorNodes } from './operations';
import type { Runtime } from './runtime';
import { childNamed, childrenOf, isPunctuation, spanOf } from './syntax';
import { NONE, type CallArgs, type ClassDef, type FunctionalBuild, type ObjectValue, type PyValue, type Scope } from './values';

/** Base classes whose `__init__(inputs, outputs)` makes a functional model. */
const FUNCTIONAL_BASES = new Set(['Model', 'Functional']);

/** Instances whose class's model was read from their base-class `__init__` (classes.ts then runs no `call`). */
const functionalInstances = new WeakSet<ObjectValue>();
/** That model, per class: every instance applied to tensors (`critic([s, a])`) applies its graph. */
const functionalBuilds = new WeakMap<ClassDef, FunctionalBuild>();

export function builtByBaseInit(object: ObjectValue): boolean {
  return functionalInstances.has(object);
}

export function baseInitModel(cls: ClassDef): FunctionalBuild | undefined {
  return functionalBuilds.get(cls);
}

/**
 * `receiver.__init__(…)` where `receiver` is `super()` / `super(Net, self)` or the base class itself: the graph
 * its arguments name becomes the model of the instance's class, read from the class's first instance (later
 * instances build the same graph again). Undefined when the call is no such thing, or hands over no outputs
 * (`super().__init__(name=name)` in an ordinary subclass).
 */
export function functionalBaseInit(rt: Runtime, receiverNode: SyntaxNode, receiver: PyValue, args: CallArgs, scope: Scope, node: SyntaxNode): PyValue | undefined {
  let self: PyValue | undefined;
  let handed = args;
  const superArguments = superCallArguments(rt, receiverNode);
  if (superArguments) {
    // Zero-argument `super()` means the method's own instance: by convention, `self`.
    self = superArguments.length >= 2 ? rt.evaluate(superArguments[1], scope) : scope.get('self');
  } else if (receiver.t === 'ref' && FUNCTIONAL_BASES.has(lastSegment(receiver.path))) {
    self = args.positional[0]?.value;
    handed = { positional: args.positional.slice(1), keyword: args.keyword };
  }
  if (self?.t !== 'object' || !self.cls.isModel) return undefined;
  const outputs = tensorNodes(modelArgument(handed, 'outputs'));
  if (!outputs.length) return undefined;
  if (self.cls.analysed || functionalInstances.has(self)) return NONE;
  functionalInstances.add(self);
  const inputs = tensorNodes(modelArgument(handed, 'inputs'));
  functionalBuilds.set(self.cls, rt.book.newFunctional(self.cls.name, true, spanOf(self.cls.syntax), spanOf(node), 'subclassed', inputs, outputs));
  return NONE;
}

/** The argument nodes of `super(…)` when `node` is that call (empty for `super()`), else undefined. */
function superCallArguments(rt: Runtime, node: SyntaxNode): SyntaxNode[] | undefined {
  if (node.name !== 'CallExpression') return undefined;
  const callee = node.firstChild;
  const argList = childNamed(node, 'ArgList');
  if (!callee || !argList || callee.name !== 'VariableName' || rt.source.slice(callee) !== 'super') return undefined;
  return childrenOf(argList).filter((child) => !isPunctuation(child));
}

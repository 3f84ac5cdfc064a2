/** The project modules the interpreter may load at an import statement (mounted by `modules.ts`). */
import type { SyntaxNode } from '@lezer/common';
import { UNKNOWN, type ClassDef, type ObjectValue, type PyValue, type Scope } from './values';

/** One module mounted in the text: its top node, and its scope once its top level ran. */
export interface LocalModule {
  name: string;
  top: SyntaxNode;
  scope?: Scope;
  loading?: boolean;
  /** Offsets of its top-level statements: a model built there is the module's own, not the analysed file's. */
  topLevel: Set<number>;
  /** The module as a value, once made: its package's attributes (`nets.blocks`) are set on this one object. */
  value?: ObjectValue;
}

/** The modules each import statement (by its offset) resolved to, keyed by the module as written (`.blocks`). */
export class LocalModules {
  constructor(readonly mainEnd: number, private readonly byStatement: Map<number, Map<string, LocalModule>>) {}

  importedBy(statementStart: number): Map<string, LocalModule> | undefined {
    return this.byStatement.get(statementStart);
  }
}

/** A module as a value (`import blocks` → `blocks.conv_block(x)`): an object whose attributes are its names. */
export function moduleObject(entry: LocalModule, scope: Scope): ObjectValue {
  const cls: ClassDef = { name: entry.name, syntax: entry.top, bases: [], methods: new Map(), attrs: new Map(), closure: scope, isModel: false, analysed: true };
  return { t: 'object', cls, attrs: new Map(scope.own()) };
}


/**
 * What `from blocks import *` binds: the names listed in the module's `__all__` when it is a list or tuple of
 * strings, else every top-level name not starting with `_`. An `__all__` that is not such a literal binds
 * nothing (which names it holds is not known); a listed name the module does not define is unknown.
 */
export function starNames(scope: Scope): [string, PyValue][] {
  const names = scope.own();
  const listed = names.get('__all__');
  if (!listed) return [...names].filter(([name]) => !name.startsWith('_'));
  if (listed.t !== 'list' || listed.open || !listed.items.every((item) => item.t === 'str')) return [];
  return listed.items.map((item) => {
    const name = (item as { v: string }).v;
    return [name, names.get(name) ?? UNKNOWN];
  });
}

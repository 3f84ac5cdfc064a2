/** The project modules the interpreter may load at an import statement (mounted by `modules.ts`). */
import type { SyntaxNode } from '@lezer/common';
import type { ClassDef, PyValue, Scope } from './values';

/** One module mounted in the text: its top node, and its scope once its top level ran. */
export interface LocalModule {
  name: string;
  top: SyntaxNode;
  scope?: Scope;
  loading?: boolean;
  /** Offsets of its top-level statements: a model built there is the module's own, not the analysed file's. */
  topLevel: Set<number>;
}

/** The modules each import statement (by its offset) resolved to, keyed by the module as written (`.blocks`). */
export class LocalModules {
  constructor(readonly mainEnd: number, private readonly byStatement: Map<number, Map<string, LocalModule>>) {}

  importedBy(statementStart: number): Map<string, LocalModule> | undefined {
    return this.byStatement.get(statementStart);
  }
}

/** A module as a value (`import blocks` → `blocks.conv_block(x)`): an object whose attributes are its names. */
export function moduleObject(entry: LocalModule, scope: Scope): PyValue {
  const cls: ClassDef = { name: entry.name, syntax: entry.top, bases: [], methods: new Map(), attrs: new Map(), closure: scope, isModel: false, analysed: true };
  return { t: 'object', cls, attrs: new Map(scope.own()) };
}


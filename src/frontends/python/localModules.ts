/** The project modules the interpreter may load at an import statement (mounted by `modules.ts`), and what an import binds. */
import type { SyntaxNode } from '@lezer/common';
import { readImportStatement } from './imports';
import type { SourceText } from './syntax';
import { Scope, UNKNOWN, type ClassDef, type ObjectValue, type PyValue } from './values';

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

/**
 * What an import statement binds. Names from a module of the project are its values: its top level runs here once,
 * and its functions and classes run inlined where they are called. A name the module does not define is unknown.
 * Library imports bind dotted paths.
 */
export class ProjectImports {
  /** `import nets.blocks` where `nets/` has no `__init__.py`: one `nets` object for all such imports. */
  private readonly namespacePackages = new Map<string, ObjectValue>();

  constructor(
    private readonly source: SourceText,
    private readonly modules: LocalModules | undefined,
    private readonly runModuleTop: (entry: LocalModule, moduleScope: Scope) => void,
  ) {}

  /** Binds the names of one import statement in `scope`. */
  bind(statement: SyntaxNode, scope: Scope): void {
    const facts = readImportStatement(statement, this.source);
    const local = this.modules?.importedBy(statement.from);
    if (local && facts.from) {
      const { level, module, names, star } = facts.from;
      const dots = '.'.repeat(level);
      const entry = local.get(dots + module);
      const moduleScope = entry && this.loadModule(entry);
      if (star && moduleScope) for (const [name, value] of starNames(moduleScope)) scope.set(name, value);
      for (const { local: name, name: imported } of names) {
        const submodule = local.get(dots + (module ? `${module}.` : '') + imported);
        const value = moduleScope?.own().get(imported) ?? (submodule && this.moduleValue(submodule));
        if (value) scope.set(name, value);
        else if (entry || submodule) scope.set(name, UNKNOWN);
        else scope.set(name, level === 0 && module ? { t: 'ref', path: `${module}.${imported}` } : UNKNOWN);
      }
      return;
    }
    for (const binding of facts.bindings) {
      const entry = local?.get(binding.path);
      const value = binding.module && local ? this.packageValue(binding.module, local, statement) : entry && this.moduleValue(entry);
      scope.set(binding.local, value ?? { t: 'ref', path: binding.path });
    }
  }

  /**
   * `import nets.blocks` binds `nets`, whose attribute `blocks` is the submodule (`nets.blocks.conv_block(x)`);
   * a folder without `__init__.py` is a namespace package with no names of its own. Undefined when no part is
   * a module of the project (a library path).
   */
  private packageValue(module: string, local: Map<string, LocalModule>, statement: SyntaxNode): ObjectValue | undefined {
    const segments = module.split('.');
    const paths = segments.map((_, index) => segments.slice(0, index + 1).join('.'));
    const values = paths.map((path) => {
      const entry = local.get(path);
      return entry && this.moduleValue(entry);
    });
    if (!values.some(Boolean)) return undefined;
    const valueAt = (index: number) => values[index] ?? this.namespacePackage(paths[index], statement);
    const root = valueAt(0);
    let parent = root;
    for (let index = 1; index < segments.length; index++) {
      // A submodule the project does not have stays what the package itself says (or unknown).
      if (!values.slice(index).some(Boolean)) break;
      const child = valueAt(index);
      parent.attrs.set(segments[index], child);
      parent = child;
    }
    return root;
  }

  private namespacePackage(path: string, statement: SyntaxNode): ObjectValue {
    let found = this.namespacePackages.get(path);
    if (!found) {
      found = moduleObject({ name: path.split('.').pop() ?? path, top: statement, topLevel: new Set() }, new Scope());
      this.namespacePackages.set(path, found);
    }
    return found;
  }

  /** A module's object, one per module (`import nets.blocks` and `import nets.layers` fill the same `nets`). */
  private moduleValue(entry: LocalModule): ObjectValue | undefined {
    if (entry.value) return entry.value;
    const moduleScope = this.loadModule(entry);
    if (moduleScope) entry.value = moduleObject(entry, moduleScope);
    return entry.value;
  }

  /** Runs a module's top level once (as Python's import does); undefined while it is being loaded (an import cycle). */
  private loadModule(entry: LocalModule): Scope | undefined {
    if (entry.scope || entry.loading) return entry.scope;
    entry.loading = true;
    const moduleScope = new Scope();
    moduleScope.set('__name__', { t: 'str', v: entry.name });
    try {
      this.runModuleTop(entry, moduleScope);
    } finally {
      entry.loading = false;
    }
    entry.scope = moduleScope;
    return moduleScope;
  }
}

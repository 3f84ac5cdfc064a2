/**
 * Module constants a function reassigns through `global NAME`: the value the interpreter follows is the one
 * the file starts with, but a call it cannot order (a CLI handler, a hyperparameter search) may change it. A
 * width read from one is an assumed value (`ArgValue.assumed`), never presented as written.
 */

/** `global a, b` at the start of a line of a function body. */
const GLOBAL_STATEMENT = /^[ \t]+global[ \t]+([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)/gm;

export function reassignedGlobals(text: string): ReadonlySet<string> {
  const names = new Set<string>();
  // Most files have none: one substring test before any pattern runs.
  if (!text.includes('global')) return names;
  for (const match of text.matchAll(GLOBAL_STATEMENT)) {
    for (const name of match[1].split(',')) names.add(name.trim());
  }
  return names;
}

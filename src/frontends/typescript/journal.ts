/**
 * Alternatives whose choice cannot be known (`if (modelType === 'cnn') … else …` on a parameter, a
 * `switch` on one) are all run, so the functions and models each of them makes are seen. What they do
 * to values that existed before them (a layer added to the model being built, a name reassigned, an
 * array pushed to) is written to a journal, taken back after each alternative, and replayed for the one
 * alternative that is kept: running them all into one model would stack mutually exclusive layers into
 * a model nobody builds, with the depth and findings of none of them.
 */

import type { ModelBuilder } from './models';

/** One change to a value that existed before the alternative: how to take it back and how to make it again. */
export interface Change {
  undo: () => void;
  redo: () => void;
  /** For a model's layer list: the serial of the model, whose own alternative need not journal it. */
  modelSerial?: number;
}

interface Entry {
  changes: Change[];
  /** Models with a smaller serial existed before this alternative began. */
  modelCount: number;
}

export class Journal {
  private readonly open: Entry[] = [];

  /** Whether an alternative is running: mutations need recording only then. */
  get recording(): boolean {
    return this.open.length > 0;
  }

  begin(modelCount: number): void {
    this.open.push({ changes: [], modelCount });
  }

  /** Takes back everything the innermost alternative changed; returns its changes, to be replayed if it is chosen. */
  rollBack(): Change[] {
    const entry = this.open.pop();
    if (!entry) return [];
    for (let index = entry.changes.length - 1; index >= 0; index--) entry.changes[index].undo();
    return entry.changes;
  }

  /** Makes the chosen alternative's changes again; an enclosing alternative journals them as its own. */
  replay(changes: Change[]): void {
    const parent = this.open[this.open.length - 1];
    for (const change of changes) {
      change.redo();
      // A model made inside the enclosing alternative keeps its layers whatever that alternative becomes.
      if (parent && (change.modelSerial === undefined || change.modelSerial < parent.modelCount)) parent.changes.push(change);
    }
  }

  /** Records a change already made. `modelSerial`: the change grows that model's layer list. */
  record(undo: () => void, redo: () => void, modelSerial?: number): void {
    const entry = this.open[this.open.length - 1];
    if (!entry || (modelSerial !== undefined && modelSerial >= entry.modelCount)) return;
    entry.changes.push({ undo, redo, modelSerial });
  }
}

/**
 * An alternative that is not kept, run once more to copy the models it grew: each copy (a fork) has the layers
 * the model had with this alternative, is reported as `name (alternative n)`, and takes every layer added to the
 * model after the branch as the model does. So `if (type === 'cnn') model.add(conv…) else model.add(dense…)`
 * is checked both ways, never stacked into one model nobody builds.
 */
export function forkModels(state: { models: ModelBuilder[] }, changes: Change[], alternative: number): void {
  const grown = new Set<number>();
  for (const change of changes) if (change.modelSerial !== undefined) grown.add(change.modelSerial);
  if (!grown.size) return;
  for (const change of changes) change.redo();
  try {
    for (const serial of grown) {
      const model = state.models[serial];
      if (!model) continue;
      const fork: ModelBuilder = {
        ...model, serial: state.models.length, layers: [...model.layers], inputs: [...model.inputs], outputs: [...model.outputs],
        forkOf: model.forkOf ?? model, alternative, forks: undefined,
      };
      state.models.push(fork);
      (model.forks ??= []).push(fork);
    }
  } finally {
    for (let index = changes.length - 1; index >= 0; index--) changes[index].undo();
  }
}

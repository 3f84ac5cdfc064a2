/**
 * The plugin's settings, shared by every project of one tsserver: the tsconfig.json plugin entry
 * (`compilerOptions.plugins: [{"name": "initlint-tsserver-plugin", "threshold": 50}]`) per project,
 * overridden by what the editor sends through `configurePlugin` (VS Code settings).
 */
import { combineSettings, DEFAULT_EDITOR_SETTINGS, readEditorSettings, type EditorSettings } from '../protocol/settings';

/** Limits that keep the plugin's cost near zero on huge files (generated code, bundles). */
export interface Budget {
  /** Files longer than this are never analysed. */
  maxFileChars: number;
  /** An analysis slower than this is logged, and the file is skipped while it stays at least that long. */
  maxMillis: number;
}

export const DEFAULT_BUDGET: Budget = { maxFileChars: 1_000_000, maxMillis: 300 };

export class PluginSettings {
  private editor: EditorSettings = DEFAULT_EDITOR_SETTINGS;
  /** Bumped on every change: cached findings of an older generation are stale. */
  generation = 0;

  update(value: unknown): void {
    this.editor = readEditorSettings(value, 'initlint plugin configuration');
    this.generation++;
  }

  /** tsconfig options of one project, then the editor's. */
  forProject(tsconfigOptions: unknown): EditorSettings {
    return combineSettings(readEditorSettings(tsconfigOptions, 'tsconfig.json initlint plugin options'), this.editor);
  }

  budget(tsconfigOptions: unknown): Budget {
    const options = (tsconfigOptions ?? {}) as { maxFileChars?: unknown; maxMillis?: unknown };
    return {
      maxFileChars: typeof options.maxFileChars === 'number' ? options.maxFileChars : DEFAULT_BUDGET.maxFileChars,
      maxMillis: typeof options.maxMillis === 'number' ? options.maxMillis : DEFAULT_BUDGET.maxMillis,
    };
  }
}

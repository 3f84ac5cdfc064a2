/**
 * The plugin's settings, shared by every project of one tsserver: the tsconfig.json plugin entry
 * (`compilerOptions.plugins: [{"name": "initlint-tsserver-plugin", "threshold": 50}]`) per project,
 * overridden by what the editor sends through `configurePlugin` (VS Code settings).
 */
import { combineSettings, DEFAULT_EDITOR_SETTINGS, readEditorSettings, type EditorSettings } from '../protocol/settings';

/** Limits that keep the plugin's cost near zero on huge files (generated code, bundles). */
export interface Budget {
  /** Files longer than this are not analysed (an analysis-incomplete finding at the file's start says so). */
  maxFileChars: number;
  /**
   * One analysis's time: the front end stops at 60% of it, the core's analysis of many models at all of it,
   * and an analysis-incomplete finding says where. tsserver answers requests synchronously, so this is what
   * an editor may wait for InitLint per file version (results are cached per version).
   */
  maxMillis: number;
}

export const DEFAULT_BUDGET: Budget = { maxFileChars: 1_000_000, maxMillis: 250 };

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
    const positive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
    return {
      maxFileChars: positive(options.maxFileChars) ? options.maxFileChars : DEFAULT_BUDGET.maxFileChars,
      maxMillis: positive(options.maxMillis) ? options.maxMillis : DEFAULT_BUDGET.maxMillis,
    };
  }
}

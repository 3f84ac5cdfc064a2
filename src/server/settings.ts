/**
 * The server's view of the `initlint` settings: pulled per document from the client when it supports
 * `workspace/configuration` (VS Code), otherwise what `initializationOptions` and
 * `workspace/didChangeConfiguration` pushed (Helix, Emacs, Neovim without a configuration handler).
 */
import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_EDITOR_SETTINGS, readEditorSettings, SETTINGS_SECTION, type EditorSettings } from '../protocol/settings';

export class ServerSettings {
  private pushed: EditorSettings = DEFAULT_EDITOR_SETTINGS;
  private readonly pulled = new Map<string, Promise<EditorSettings>>();
  canPull = false;

  constructor(private readonly connection: Connection, private readonly log: (message: string) => void) {}

  /** `initializationOptions: {initlint: {...}}` or `{settings: {initlint: {...}}}`. */
  initialize(initializationOptions: unknown): void {
    const options = (initializationOptions ?? {}) as { initlint?: unknown; settings?: { initlint?: unknown } };
    const value = options.initlint ?? options.settings?.initlint;
    if (value !== undefined) this.pushed = this.read(value, 'initializationOptions');
  }

  /** `settings` of didChangeConfiguration: `{initlint: {...}}`; clients that pull send null. */
  changed(settings: unknown): void {
    this.pulled.clear();
    const value = (settings as { [SETTINGS_SECTION]?: unknown } | null)?.[SETTINGS_SECTION];
    if (value !== undefined) this.pushed = this.read(value, 'workspace/didChangeConfiguration');
  }

  forDocument(uri: string): Promise<EditorSettings> {
    if (!this.canPull) return Promise.resolve(this.pushed);
    const cached = this.pulled.get(uri);
    if (cached) return cached;
    const settings = this.connection.workspace
      .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
      .then((value: unknown) => (value === null || value === undefined ? this.pushed : this.read(value, 'workspace/configuration')))
      .catch((error: unknown) => {
        this.log(`workspace/configuration failed, using pushed settings: ${String(error)}`);
        return this.pushed;
      });
    this.pulled.set(uri, settings);
    return settings;
  }

  forget(uri: string): void {
    this.pulled.delete(uri);
  }

  private read(value: unknown, source: string): EditorSettings {
    const settings = readEditorSettings(value, source);
    for (const problem of settings.problems) this.log(problem.message);
    return settings;
  }
}

/**
 * Which documents the variance panel may be restored for after a window reload. The webview's saved
 * state names a document, but that state is data the webview wrote: a panel may apply fixes to its
 * document, so the host restores only panels for documents it opened one for itself, recorded here in
 * the extension's workspace storage (which a repository's files cannot write). No `vscode` import: the
 * storage is passed in, so this is unit-tested without an editor.
 */
import { parsePanelState, type PanelState, type Parsed } from '../protocol/panel';

/** The part of `vscode.Memento` used here. */
export interface PanelStorage {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

const STORAGE_KEY = 'initlint.varianceCheck.openedPanelUris';
/** Enough for every panel a user keeps open; the oldest are forgotten first. */
const MAX_REMEMBERED = 100;

export class OpenedPanelDocuments {
  constructor(private readonly storage: PanelStorage) {}

  /** The host opened a panel for `uri` (a command or a lens, never a webview). */
  async remember(uri: string): Promise<void> {
    const uris = this.uris().filter((known) => known !== uri);
    uris.push(uri);
    await this.storage.update(STORAGE_KEY, uris.slice(-MAX_REMEMBERED));
  }

  /** Whether a panel restored with this document URI was opened by the host. */
  allows(uri: string): boolean {
    return this.uris().includes(uri);
  }

  private uris(): string[] {
    const stored = this.storage.get(STORAGE_KEY);
    return Array.isArray(stored) ? stored.filter((uri): uri is string => typeof uri === 'string') : [];
  }
}

/** A webview's saved state, read and checked: the panel to restore, or why none is. */
export function restorablePanel(state: unknown, opened: OpenedPanelDocuments): Parsed<PanelState> {
  const parsed = parsePanelState(state);
  if (parsed.ok && !opened.allows(parsed.value.key.uri)) return { ok: false, reason: `no panel was opened for ${parsed.value.key.uri} in this workspace` };
  return parsed;
}

/**
 * Code actions the editor's hosts cannot give themselves, for Python and JS/TS alike:
 * - "Show documentation for <rule>" on each InitLint diagnostic (a command: a language server or tsserver
 *   plugin can only offer edits);
 * - "Fix all InitLint problems" in the quick-fix menu;
 * - for JS/TS, `source.fixAll.initlint` (editor.codeActionsOnSave, the Source Action menu): VS Code's
 *   TypeScript extension forwards a plugin's quick fixes but never its source actions.
 *
 * One analysis per document: the JS/TS edits come from the tsserver plugin (`_initlint.fixAll`), from the
 * analysis its diagnostics were computed from, so a fix-all always fixes what the squiggles show, under the
 * same tsconfig.json plugin options; the extension's own analysis bundle (dist/analysis.js) would be a second
 * analysis that knows nothing of those options. Python's come from the language server's `source.fixAll.initlint`.
 */
import * as vscode from 'vscode';
import { ruleOfDiagnostic } from './commands';
import type { Logger } from './logger';
import { fixAllEdit, pluginFixAll } from './tsPluginRequests';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('initlint');
const FIX_ALL_TITLE = 'Fix all InitLint problems';
const SCRIPT_LANGUAGES = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact']);

/**
 * The quick-fix "Fix all": its edit is computed when chosen (resolveCodeAction), not for every light bulb.
 * Like "Show documentation" it names no diagnostic, so VS Code lists it after the finding's own fixes and
 * Ctrl+. then Enter still applies the preferred fix.
 */
class FixAllQuickFix extends vscode.CodeAction {
  constructor(readonly document: vscode.TextDocument) {
    super(FIX_ALL_TITLE, vscode.CodeActionKind.QuickFix);
  }
}

export class InitLintCodeActions implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] };

  constructor(private readonly logger: Logger) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    try {
      const actions: vscode.CodeAction[] = [];
      const requested = (kind: vscode.CodeActionKind) => (context.only ? context.only.contains(kind) : kind.value === vscode.CodeActionKind.QuickFix.value);
      const ours = context.diagnostics.filter((diagnostic) => diagnostic.source === 'initlint');
      if (requested(vscode.CodeActionKind.QuickFix) && ours.length) {
        actions.push(new FixAllQuickFix(document));
        for (const rule of new Set(ours.map(ruleOfDiagnostic))) {
          if (!rule) continue;
          const show = new vscode.CodeAction(`Show documentation for ${rule}`, vscode.CodeActionKind.QuickFix);
          show.command = { title: show.title, command: 'initlint.showRuleDocumentation', arguments: [rule] };
          actions.push(show);
        }
      }
      if (requested(FIX_ALL_KIND) && isScript(document)) {
        const answer = await pluginFixAll(document.uri, token);
        if (!answer.ok) this.logger.warn(`fix-all of ${document.uri.toString()}: the tsserver plugin did not answer: ${answer.reason}`);
        else if (answer.body.analysed) {
          const action = new vscode.CodeAction(FIX_ALL_TITLE, FIX_ALL_KIND);
          action.edit = fixAllEdit(document, answer.body);
          if (action.edit) actions.push(action);
        }
      }
      return actions;
    } catch (error) {
      this.logger.error(`code actions for ${document.uri.toString()} failed`, error);
      return [];
    }
  }

  async resolveCodeAction(action: vscode.CodeAction, token: vscode.CancellationToken): Promise<vscode.CodeAction> {
    if (!(action instanceof FixAllQuickFix)) return action;
    try {
      action.edit = await fixAllEdits(action.document, token);
    } catch (error) {
      this.logger.error(`fix-all of ${action.document.uri.toString()} failed`, error);
    }
    return action;
  }
}

/** The whole file's fixes: the plugin's for JS/TS, the language server's `source.fixAll.initlint` for Python. */
async function fixAllEdits(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.WorkspaceEdit | undefined> {
  if (isScript(document)) {
    const answer = await pluginFixAll(document.uri, token);
    return answer.ok ? fixAllEdit(document, answer.body) : undefined;
  }
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, whole, FIX_ALL_KIND.value);
  return actions?.find((candidate): candidate is vscode.CodeAction => 'edit' in candidate && candidate.edit !== undefined)?.edit;
}

function isScript(document: vscode.TextDocument): boolean {
  return SCRIPT_LANGUAGES.has(document.languageId);
}

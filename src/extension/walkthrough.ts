/**
 * The "Get Started with InitLint" walkthrough: a sample Keras model (media/walkthrough/deep_mlp.py) copied into
 * the extension's storage and opened, so that it is a real file (the language server, fixes and the variance
 * check all work on it) that the fix step may edit without touching the installed extension. The later steps'
 * buttons act on the sample: clicking them focuses the walkthrough, so there is no active text editor then.
 */
import * as vscode from 'vscode';

export const WALKTHROUGH_COMMANDS = {
  openSample: 'initlint.openSampleModel',
  fixSample: 'initlint.walkthrough.fixSample',
  checkSample: 'initlint.walkthrough.checkSample',
} as const;

const SAMPLE = 'deep_mlp.py';

type SampleContext = Pick<vscode.ExtensionContext, 'extensionUri' | 'globalStorageUri'>;

export async function openSampleModel(context: SampleContext): Promise<vscode.TextEditor> {
  const copy = vscode.Uri.joinPath(context.globalStorageUri, 'sample', SAMPLE);
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === copy.toString());
  if (!open) {
    // A fresh copy whenever it is not open: the fix step changes it.
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(copy, '..'));
    await vscode.workspace.fs.writeFile(copy, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'media', 'walkthrough', SAMPLE)));
  }
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === copy.toString());
  return vscode.window.showTextDocument(open ?? (await vscode.workspace.openTextDocument(copy)), { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Beside });
}

export function registerWalkthroughCommands(context: SampleContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(WALKTHROUGH_COMMANDS.openSample, () => openSampleModel(context)),
    vscode.commands.registerCommand(WALKTHROUGH_COMMANDS.fixSample, async () => {
      const editor = await openSampleModel(context);
      return vscode.commands.executeCommand<number>('initlint.fixAllInFile', editor.document.uri);
    }),
    vscode.commands.registerCommand(WALKTHROUGH_COMMANDS.checkSample, async () => {
      const editor = await openSampleModel(context);
      return vscode.commands.executeCommand('initlint.openVarianceCheck', editor.document.uri, 0);
    }),
  ];
}

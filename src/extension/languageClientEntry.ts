/**
 * vscode-languageclient, bundled on its own into dist/languageClient.js: nine tenths of the extension host's
 * code, loaded when the first Python document or notebook starts the language server (pythonServer.ts), so
 * activation compiles only the host itself (`npm run bench -- activation`).
 */
export { LanguageClient, State, TransportKind } from 'vscode-languageclient/node';

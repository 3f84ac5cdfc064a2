/** Entry point of dist/server.js: `node dist/server.js --stdio` (or `initlint lsp --stdio` through the CLI). */
import { startLanguageServer } from './start';

startLanguageServer();

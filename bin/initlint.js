#!/usr/bin/env node
// The `initlint` command: the bundled CLI (run `npm run build` in a source checkout).
require('../dist/cli.js');

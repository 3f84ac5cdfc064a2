// ESLint flat config: typescript-eslint's recommended rules plus the import boundaries of STYLE.md:
// dependencies point inward, `core` uses nothing of ours but itself and no host library.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** For each layer of src/, the imports it must not make (STYLE.md, "A layout that shows the architecture"). */
const boundaries = [
  {
    files: ['src/core/**/*.ts'],
    patterns: ['**/frontends/**', '**/probe/**', '**/tsPlugin/**', '**/server/**', '**/extension/**', '**/webview/**', '**/cli/**', '**/protocol/**'],
    paths: ['vscode', 'typescript', '@tensorflow/tfjs', '@lezer/python', '@lezer/common', 'vscode-languageserver', 'fs', 'node:fs', 'path', 'node:path', 'child_process', 'node:child_process'],
    why: 'src/core is pure: it imports nothing of ours but itself, no editor, compiler, parser, tfjs, DOM or file system',
  },
  {
    files: ['src/frontends/**/*.ts'],
    patterns: ['**/probe/**', '**/tsPlugin/**', '**/server/**', '**/extension/**', '**/webview/**', '**/cli/**'],
    paths: ['vscode'],
    why: 'front ends turn source into IR and know no host',
  },
  {
    files: ['src/probe/**/*.ts'],
    patterns: ['**/frontends/**', '**/tsPlugin/**', '**/server/**', '**/extension/**', '**/webview/**', '**/cli/**'],
    paths: ['vscode', 'typescript'],
    why: 'the probe runs in Node and in the browser on the IR alone',
  },
  {
    files: ['src/tsPlugin/**/*.ts'],
    patterns: ['**/server/**', '**/extension/**', '**/webview/**', '**/cli/**', '**/probe/**'],
    paths: ['vscode'],
    why: 'the tsserver plugin runs inside tsserver, never in the extension host',
  },
  {
    files: ['src/server/**/*.ts'],
    patterns: ['**/tsPlugin/**', '**/extension/**', '**/webview/**', '**/cli/**'],
    paths: ['vscode'],
    why: 'the language server is editor-neutral',
  },
  {
    files: ['src/webview/**/*.ts'],
    // Also the Node side of shared folders: the host's panel model builder (it runs the analysis), the Node
    // backend selection, and probe/tf (the Node TensorFlow.js; the browser's is probe/tfBrowser).
    patterns: ['**/frontends/**', '**/project/**', '**/tsPlugin/**', '**/server/**', '**/extension/**', '**/cli/**', 'node:*',
      '**/protocol/panelModel', '**/probe/nodeBackend', '**/probe/tf'],
    paths: ['vscode', 'fs', 'path', 'typescript', '@tensorflow/tfjs', '@tensorflow/tfjs-node'],
    why: 'the webview runs in a browser',
  },
  {
    files: ['src/cli/**/*.ts'],
    patterns: ['**/tsPlugin/**', '**/extension/**', '**/webview/**'],
    paths: ['vscode'],
    why: 'the CLI runs without an editor',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'tsserver-plugin/index.js', 'media/', 'test/corpus/keras/', 'test/corpus/tfjs/', 'examples/', '.cache/', 'test-results/', '**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // CommonJS entry scripts run by node directly.
    files: ['bin/**/*.js', 'tsserver-plugin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...boundaries.map(({ files, patterns, paths, why }) => ({
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: paths.map((name) => ({ name, message: why })),
          patterns: [{ group: patterns, message: why }],
        },
      ],
    },
  })),
);

/**
 * The Keras front end: Python source → models as layer calls (`ExtractedFile`), with Lezer's
 * error-tolerant, incremental parser. Never throws.
 */
import { parser } from '@lezer/python';
import { TreeFragment, type Tree } from '@lezer/common';
import type { Comment, ExtractedFile, SyntaxProblem } from '../../core/ir';
import { readImports } from './imports';
import { KerasInterpreter } from './interpreter';

export function parsePython(text: string, previous?: { tree: Tree; text: string; changes?: { fromA: number; toA: number; fromB: number; toB: number }[] }): Tree {
  if (!previous?.changes) return parser.parse(text);
  const fragments = TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), previous.changes);
  return parser.parse(text, fragments);
}

export function extractPython(text: string): ExtractedFile {
  return extractPythonFromTree(text, parsePython(text));
}

export function extractPythonFromTree(text: string, tree: Tree): ExtractedFile {
  const comments: Comment[] = [];
  const syntaxProblems: SyntaxProblem[] = [];
  const empty: ExtractedFile = {
    language: 'python', models: [], comments, syntaxProblems,
    imports: { bindings: {}, newImportAt: { offset: 0, prefix: '', suffix: '\n' }, extendableImports: {} },
  };
  try {
    tree.iterate({
      enter: (node) => {
        if (node.name === 'Comment') comments.push({ span: { start: node.from, end: node.to }, text: text.slice(node.from + 1, node.to) });
        else if (node.type.isError) syntaxProblems.push({ span: { start: node.from, end: node.to }, message: 'syntax error' });
      },
    });
    const imports = readImports(tree.topNode, text);
    const models = new KerasInterpreter(text, imports).run(tree.topNode);
    return { ...empty, imports, models };
  } catch {
    return empty;
  }
}

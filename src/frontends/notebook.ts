/**
 * Jupyter notebooks (nbformat 4) as one Python program: code cells in order, IPython magics and shell
 * lines blanked (same length, so offsets still map), and the way back — from a program offset to its cell,
 * and from edited cell sources to a notebook whose every other byte is unchanged.
 */

export interface NotebookCell {
  /** Index in the notebook's `cells` (markdown cells count too). */
  index: number;
  cellType: string;
  source: string;
  /** Where the `source` value sits in the notebook's JSON text, and how it is written there. */
  sourceSpan: { start: number; end: number };
  sourceForm: 'array' | 'string';
  /** An array source's items (one line each, as nbformat writes them): lines a fix leaves are written back as they were. */
  sourceItems?: { value: string; start: number; end: number }[];
  /** Indentation of the source array's items (nbformat writes one item per line). */
  itemIndent?: string;
  closingIndent?: string;
}

export interface Notebook {
  cells: NotebookCell[];
}

export interface NotebookProgram {
  /** The code cells joined by newlines, magics blanked. */
  text: string;
  /** Each code cell's start offset in `text`. */
  cells: { cell: NotebookCell; start: number }[];
}

/** Parses a notebook; throws an Error with a readable message for what is not nbformat 4 JSON. */
export function parseNotebook(json: string): Notebook {
  const root = new JsonReader(json).document();
  if (root.kind !== 'object') throw new Error('not a Jupyter notebook (the top level is not a JSON object)');
  const cells = root.members.get('cells');
  if (!cells || cells.kind !== 'array') throw new Error('not a Jupyter notebook (no "cells" list)');
  return {
    cells: cells.items.map((cell, index) => {
      if (cell.kind !== 'object') throw new Error(`cell ${index} is not a JSON object`);
      const type = cell.members.get('cell_type');
      const source = cell.members.get('source');
      if (!source) return { index, cellType: type?.kind === 'string' ? type.value : 'unknown', source: '', sourceSpan: { start: cell.end - 1, end: cell.end - 1 }, sourceForm: 'string' as const };
      const text = source.kind === 'string' ? source.value : source.kind === 'array' ? source.items.map((item) => (item.kind === 'string' ? item.value : '')).join('') : '';
      const first = source.kind === 'array' ? source.items[0] : undefined;
      return {
        index,
        cellType: type?.kind === 'string' ? type.value : 'unknown',
        source: text,
        sourceSpan: { start: source.start, end: source.end },
        sourceForm: source.kind === 'array' ? 'array' as const : 'string' as const,
        sourceItems: source.kind === 'array' ? source.items.map((item) => ({ value: item.kind === 'string' ? item.value : '', start: item.start, end: item.end })) : undefined,
        itemIndent: first ? indentBefore(json, first.start) : undefined,
        closingIndent: source.kind === 'array' && source.items.length ? indentBefore(json, source.end - 1) : undefined,
      };
    }),
  };
}

function indentBefore(json: string, offset: number): string | undefined {
  let start = offset;
  while (start > 0 && (json[start - 1] === ' ' || json[start - 1] === '\t')) start--;
  return json[start - 1] === '\n' ? json.slice(start, offset) : undefined;
}

/** `%magic`, `%%cell magic`, `!shell` and `?help` lines are not Python: blanked, keeping every offset. */
export function blankMagics(source: string): string {
  return source.replace(/^([ \t]*)([%!?].*)$/gm, (_line, indent: string, rest: string) => indent + ' '.repeat(rest.length));
}

export function notebookProgram(notebook: Notebook): NotebookProgram {
  const cells: NotebookProgram['cells'] = [];
  let text = '';
  for (const cell of notebook.cells) {
    if (cell.cellType !== 'code') continue;
    if (cells.length) text += '\n';
    cells.push({ cell, start: text.length });
    text += blankMagics(cell.source);
  }
  return { text, cells };
}

/** The code cell holding a program offset, and the offset within that cell's source. */
export function locateInNotebook(program: NotebookProgram, offset: number): { cell: NotebookCell; offset: number } | undefined {
  let found: NotebookProgram['cells'][number] | undefined;
  for (const entry of program.cells) {
    if (entry.start <= offset) found = entry;
    else break;
  }
  return found && { cell: found.cell, offset: Math.min(offset - found.start, found.cell.source.length) };
}

/** The notebook JSON with the given cells' sources replaced, written as nbformat writes them; all else unchanged. */
export function rewriteNotebook(json: string, notebook: Notebook, sources: Map<number, string>): string {
  const replacements = notebook.cells
    .filter((cell) => sources.has(cell.index) && sources.get(cell.index) !== cell.source)
    .map((cell) => ({ cell, text: sourceJson(sources.get(cell.index)!, cell, json) }))
    .sort((a, b) => b.cell.sourceSpan.start - a.cell.sourceSpan.start);
  let result = json;
  for (const { cell, text } of replacements) result = result.slice(0, cell.sourceSpan.start) + text + result.slice(cell.sourceSpan.end);
  return result;
}

/**
 * A cell's new source as JSON. Lines equal to one of the cell's old items keep that item's exact text (its
 * escapes, and its bytes in a notebook read one byte per character), so a fix rewrites only the lines it edits.
 */
function sourceJson(source: string, cell: NotebookCell, json: string): string {
  if (cell.sourceForm === 'string') return JSON.stringify(source);
  const lines = source.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  if (!lines.length) return '[]';
  const unused = new Map<string, string[]>();
  for (const item of cell.sourceItems ?? []) {
    const texts = unused.get(item.value) ?? [];
    texts.push(json.slice(item.start, item.end));
    unused.set(item.value, texts);
  }
  const items = lines.map((line) => unused.get(line)?.shift() ?? JSON.stringify(line));
  if (cell.itemIndent === undefined) return `[${items.join(', ')}]`;
  return `[\n${items.map((item) => cell.itemIndent + item).join(',\n')}\n${cell.closingIndent ?? ''}]`;
}

// ---------------------------------------------------------------------------------------------
// A JSON reader that remembers where each value is (JSON.parse does not say).
// ---------------------------------------------------------------------------------------------

type JsonValue = { start: number; end: number } & (
  | { kind: 'object'; members: Map<string, JsonValue> }
  | { kind: 'array'; items: JsonValue[] }
  | { kind: 'string'; value: string }
  | { kind: 'other' }
);

type JsonContainer = JsonValue & ({ kind: 'object' } | { kind: 'array' });

/** Whether a string's text needs JSON.parse: it holds an escape, or a control character (which JSON rejects). */
function needsJsonParse(body: string): boolean {
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (code === 92 || code < 32) return true;
  }
  return false;
}

/** How many backslashes come just before `offset`. */
function backslashesBefore(text: string, offset: number): number {
  let count = 0;
  while (offset - 1 - count >= 0 && text.charCodeAt(offset - 1 - count) === 92) count++;
  return count;
}

/** Space, tab, line feed, carriage return. */
function isJsonSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** What ends a number, `true`, `false` or `null`: a comma, a closing bracket or space. */
function endsScalar(code: number): boolean {
  return code === 44 || code === 93 || code === 125 || isJsonSpace(code);
}

/**
 * Reads with an explicit stack, not recursion: nbformat allows any JSON in metadata and outputs, and a valid
 * notebook nested thousands deep must not exhaust the call stack.
 */
class JsonReader {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): JsonValue {
    const value = this.value();
    this.space();
    if (this.at < this.text.length) this.fail('unexpected text after the notebook');
    return value;
  }

  private fail(what: string): never {
    throw new Error(`not valid JSON: ${what} at offset ${this.at}`);
  }

  private space(): void {
    while (this.at < this.text.length && isJsonSpace(this.text.charCodeAt(this.at))) this.at++;
  }

  private value(): JsonValue {
    // Open containers, innermost last, each with the key its next member goes under.
    const open: { container: JsonContainer; key?: string }[] = [];
    for (;;) {
      this.space();
      const start = this.at;
      const char = this.text[this.at];
      let complete: JsonValue;
      if (char === '{' || char === '[') {
        this.at++;
        const container: JsonContainer = char === '{' ? { kind: 'object', members: new Map(), start, end: start } : { kind: 'array', items: [], start, end: start };
        this.space();
        if (this.text[this.at] !== (char === '{' ? '}' : ']')) {
          open.push({ container, key: char === '{' ? this.memberKey() : undefined });
          continue;
        }
        container.end = ++this.at;
        complete = container;
      } else {
        complete = this.scalar();
      }
      // Hand the finished value to its container; close every container that ends here.
      for (;;) {
        const parent = open[open.length - 1];
        if (!parent) return complete;
        const { container } = parent;
        if (container.kind === 'array') container.items.push(complete);
        else container.members.set(parent.key!, complete);
        this.space();
        const next = this.text[this.at++];
        const close = container.kind === 'array' ? ']' : '}';
        if (next === close) {
          container.end = this.at;
          open.pop();
          complete = container;
          continue;
        }
        if (next !== ',') this.fail(`expected "," or "${close}"`);
        if (container.kind === 'object') parent.key = this.memberKey();
        break;
      }
    }
  }

  /**
   * The offset of the quote that closes the string opened at `open`: the first quote after an even run of
   * backslashes, found by `indexOf` rather than one character at a time. Unclosed: past the end, where reading
   * escapes in pairs stops (one further when the text ends in a lone backslash).
   */
  private closingQuote(open: number): number {
    for (let quote = this.text.indexOf('"', open + 1); quote >= 0; quote = this.text.indexOf('"', quote + 1)) {
      if (backslashesBefore(this.text, quote) % 2 === 0) return quote;
    }
    return this.text.length + (backslashesBefore(this.text, this.text.length) % 2);
  }

  /** `"key":` before an object member's value. */
  private memberKey(): string {
    this.space();
    if (this.text[this.at] !== '"') this.fail('expected a key');
    const key = this.scalar() as JsonValue & { kind: 'string' };
    this.space();
    if (this.text[this.at++] !== ':') this.fail('expected ":"');
    return key.value;
  }

  private scalar(): JsonValue {
    const start = this.at;
    if (this.text[this.at] === '"') {
      this.at = this.closingQuote(start);
      if (this.at >= this.text.length) this.fail('unterminated string');
      this.at++;
      // Most strings (a line of code, an output line) hold no escape: their text is what is written.
      const body = this.text.slice(start + 1, this.at - 1);
      const value = needsJsonParse(body) ? (JSON.parse(this.text.slice(start, this.at)) as string) : body;
      return { kind: 'string', value, start, end: this.at };
    }
    while (this.at < this.text.length && !endsScalar(this.text.charCodeAt(this.at))) this.at++;
    if (this.at === start) this.fail('expected a value');
    return { kind: 'other', start, end: this.at };
  }
}

/**
 * Files that carry their script inside markup: an HTML page (`<script src="tf.min.js">` then an inline script
 * using the global `tf`), a Vue or Svelte single-file component. Their `<script>` blocks are read as one script;
 * everything else is blanked to spaces, line breaks kept, so every offset, line and fix is the file's own.
 */

/** Extensions whose scripts live in `<script>` blocks. */
export const EMBEDDING_EXTENSION = /\.(?:html?|vue|svelte)$/i;

/** Blocks that hold no script to read: data (`application/json`, an import map), templates, shaders. */
const NOT_A_SCRIPT = /\btype\s*=\s*["']?(?:[^"'\s>]*(?:json|importmap|template|html|plain|shader|markdown))/i;

/**
 * The text with only its script blocks' bodies left, every other character but line breaks a space. Scanned with
 * `indexOf`, each character once: a pattern over `<script>…</script>` tried again after every unclosed `<script>`
 * is quadratic (64,000 of them took 6 s).
 */
export function scriptsOnly(text: string): string {
  let result = '';
  let from = 0;
  for (let at = find(OPEN_TAG, text, 0); at >= 0; at = find(OPEN_TAG, text, at + 1)) {
    // `<script` as a whole tag name: `<scripts>` is not one.
    if (!/[\s>/]/.test(text[at + 7] ?? '')) continue;
    const openEnd = text.indexOf('>', at);
    if (openEnd < 0) break;
    const close = find(CLOSE_TAG, text, openEnd);
    // Unclosed: nothing after it is a script body either.
    if (close < 0) break;
    const attributes = text.slice(at + 7, openEnd);
    if (NOT_A_SCRIPT.test(attributes) || /\bsrc\s*=/i.test(attributes)) {
      at = close;
      continue;
    }
    const bodyStart = openEnd + 1;
    result += blank(text.slice(from, bodyStart)) + text.slice(bodyStart, close);
    from = close;
    at = close;
  }
  return result + blank(text.slice(from));
}

/** Tag names in any case: searched with a sticky-free global pattern from an offset, a plain scan. */
const OPEN_TAG = /<script/gi;
const CLOSE_TAG = /<\/script/gi;

function find(pattern: RegExp, text: string, from: number): number {
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? -1;
}

function blank(markup: string): string {
  return markup.replace(/[^\r\n]/g, ' ');
}

/**
 * Files that carry their script inside markup: an HTML page (`<script src="tf.min.js">` then an inline script
 * using the global `tf`), a Vue or Svelte single-file component. Their `<script>` blocks are read as one script;
 * everything else is blanked to spaces, line breaks kept, so every offset, line and fix is the file's own.
 */

/** Extensions whose scripts live in `<script>` blocks. */
export const EMBEDDING_EXTENSION = /\.(?:html?|vue|svelte)$/i;

/** `<script …>body</script>`: attributes, then the body. */
const SCRIPT_BLOCK = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** Blocks that hold no script to read: data (`application/json`, an import map), templates, shaders. */
const NOT_A_SCRIPT = /\btype\s*=\s*["']?(?:[^"'\s>]*(?:json|importmap|template|html|plain|shader|markdown))/i;

/** The text with only its script blocks' bodies left, every other character but line breaks a space. */
export function scriptsOnly(text: string): string {
  let result = '';
  let from = 0;
  for (const match of text.matchAll(SCRIPT_BLOCK)) {
    const attributes = match[1];
    if (NOT_A_SCRIPT.test(attributes) || /\bsrc\s*=/i.test(attributes)) continue;
    const bodyStart = (match.index ?? 0) + match[0].indexOf('>') + 1;
    result += blank(text.slice(from, bodyStart)) + match[2];
    from = bodyStart + match[2].length;
  }
  return result + blank(text.slice(from));
}

function blank(markup: string): string {
  return markup.replace(/[^\r\n]/g, ' ');
}

/**
 * The variance-check webview's HTML page. Pure string building so the extension host and the browser test
 * (test/webview/panel.browser.test.ts) serve the same page under the same Content Security Policy.
 */

export interface PanelHtmlOptions {
  /** media/variancePanel.js as a webview URI (`webview.asWebviewUri`). */
  scriptUri: string;
  /** media/variancePanel.css as a webview URI. */
  styleUri: string;
  /** `webview.cspSource`: the origin the webview's own resources are served from. */
  cspSource: string;
  /** A fresh random value per page (base64 or hex): only the one script tag carries it. */
  nonce: string;
  /** The folder of the .wasm files (media/wasm/), ending in `/`; the WASM backend fetches from it. */
  wasmBaseUri: string;
  /** The page title (the panel's own title is set by the host). */
  title: string;
}

/**
 * The policy, source by source:
 * - `default-src 'none'`: nothing that is not named below (no frames, objects, media, workers, manifests).
 * - `script-src 'nonce-…'`: the bundle's one script tag and nothing inline; `'wasm-unsafe-eval'` lets the
 *   WASM backend compile its WebAssembly, and allows no JavaScript eval.
 * - `style-src ${cspSource}`: the bundled stylesheet. The UI components' styles are constructed
 *   stylesheets (adoptedStyleSheets), which CSP does not govern, so no inline style needs a nonce.
 * - `connect-src ${cspSource}`: the WASM backend fetches its .wasm file from media/wasm/.
 * Left out because nothing needs them: img-src and font-src (the page shows no images and uses the
 * editor's fonts; the PNG export reads a canvas, which no policy governs) and worker-src (only the
 * multi-threaded WASM build uses workers, and it needs cross-origin isolation, which webviews lack).
 */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource}`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml(options: PanelHtmlOptions): string {
  const { scriptUri, styleUri, cspSource, nonce, wasmBaseUri, title } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(panelCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body data-wasm-base="${escapeHtml(wasmBaseUri)}">
<main id="panel" aria-busy="true"><p>Loading the variance check…</p></main>
<noscript>The variance check needs JavaScript, which this webview does not allow.</noscript>
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>
`;
}

/** For text and double-quoted attribute values (the CSP's single quotes stay readable). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

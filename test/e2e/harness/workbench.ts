/**
 * Debian Chromium driven by playwright-core, and the VS Code workbench selectors that worked on 1.100
 * (RECIPES.md). No fixed sleeps: every step waits for what it needs.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_BIN } from './codeServer';

export interface ChromiumOptions {
  /**
   * WebGL without a GPU: ANGLE on SwiftShader (a CPU Vulkan), for pages that run TensorFlow.js's WebGL
   * backend. Off by default: the editor tests need no GPU and start faster with it disabled.
   */
  softwareWebGl?: boolean;
  /** WebGPU on SwiftShader's adapter (Chromium's unsafe WebGPU switch), for the WebGPU backend. */
  softwareWebGpu?: boolean;
}

/** A fresh temporary profile each time (playwright's default). */
export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  const graphics = options.softwareWebGl || options.softwareWebGpu ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'] : ['--disable-gpu'];
  if (options.softwareWebGpu) graphics.push('--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader');
  return chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: ['--no-sandbox', ...graphics, '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
}

export const SELECTORS = {
  workbench: '.monaco-workbench',
  quickInput: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .monaco-list-row',
  activeTab: '.tabs-container .tab.active',
  tab: '.tabs-container .tab',
  /** Hints are drawn as three dots under the start of the range (`squiggly-hint`). */
  squiggle: (severity: 'error' | 'warning' | 'info' | 'hint') => `.editor-instance .monaco-editor .squiggly-${severity}`,
  anySquiggle: '.editor-instance .monaco-editor :is(.squiggly-error, .squiggly-warning, .squiggly-info, .squiggly-hint)',
  hover: '.monaco-hover:not(.hidden) .hover-contents',
  focusedAction: '.action-widget .monaco-list-row.focused',
  viewLines: '.editor-instance .monaco-editor .view-lines',
  codeLens: '.editor-instance .monaco-editor .codelens-decoration',
  notification: '.notifications-toasts .notification-toast',
  markerWidget: '.marker-widget',
  actionRow: '.action-widget .monaco-list-row',
  languageStatus: '#status\\.languageStatus',
  languageStatusItem: '.hover-language-status',
};

export class Workbench {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector(SELECTORS.workbench, { timeout: 60_000 });
  }

  /** Quick Open (Ctrl+P) a file by name; retried once (the first try right after load was seen to miss). */
  async openFile(name: string): Promise<void> {
    await this.retryOnce(async () => {
      await this.page.keyboard.press('Escape'); // close whatever widget the last step left open
      await this.page.keyboard.press('Control+P');
      await this.page.fill(SELECTORS.quickInput, name);
      // The focused row, once file search has ranked the file first (history rows come earlier).
      await this.page.waitForSelector(`${SELECTORS.quickInputRow}.focused[aria-label*="${name}"]`, { timeout: 10_000 });
      await this.page.keyboard.press('Enter');
      await this.page.waitForSelector(`${SELECTORS.activeTab}[data-resource-name="${name}"]`, { timeout: 10_000 });
    });
  }

  /** Runs a palette command by its title (F1, `>Title`, Enter). */
  async runCommand(title: string): Promise<void> {
    await this.retryOnce(async () => {
      await this.page.keyboard.press('F1');
      await this.page.fill(SELECTORS.quickInput, `>${title}`);
      await this.page.waitForSelector(`${SELECTORS.quickInputRow}[aria-label*="${title}"]`, { timeout: 5_000 });
      await this.page.keyboard.press('Enter');
    });
  }

  /** The editor's text; the view uses non-breaking spaces. Only the visible lines are rendered. */
  async editorText(): Promise<string> {
    return (await this.page.innerText(SELECTORS.viewLines)).replace(/\u00a0/g, ' ');
  }

  async waitForEditorText(predicate: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.editorText();
      if (predicate(text)) return text;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`editor text never matched; last:\n${text}`);
  }

  /** Puts the cursor on a line/column (1-based) through "Go to Line" (Ctrl+G `line:column`). */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.page.fill(SELECTORS.quickInput, `:${line}:${column}`);
    await this.page.keyboard.press('Enter');
  }

  /** F8: the cursor jumps to the next problem and the marker widget shows its message (returned). */
  async goToNextProblem(): Promise<string> {
    await this.page.keyboard.press('F8');
    const widget = await this.page.waitForSelector(SELECTORS.markerWidget, { timeout: 10_000 });
    const message = (await widget.innerText()).trim();
    await this.page.keyboard.press('Escape');
    return message;
  }

  /** Ctrl+K Ctrl+I: the hover at the cursor; returns its text. */
  async showHover(): Promise<string> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = await this.page.waitForSelector(SELECTORS.hover, { timeout: 15_000 });
    return (await hover.innerText()).trim();
  }

  /** Ctrl+. at the cursor, then Enter on the focused (first, preferred) fix; a click is intercepted. */
  async applyFirstQuickFix(): Promise<string> {
    await this.page.keyboard.press('Control+.');
    const row = await this.page.waitForSelector(SELECTORS.focusedAction, { timeout: 10_000 });
    const title = (await row.innerText()).trim();
    await this.page.keyboard.press('Enter');
    return title;
  }

  /**
   * The titles of the action widget's rows once `expected` is among them: Ctrl+. (the quick-fix menu) or a
   * palette command (the Source Action menu). The widget is closed again.
   */
  async actionTitles(open: () => Promise<void>, expected: string): Promise<string[]> {
    await open();
    await this.page.locator(SELECTORS.actionRow, { hasText: expected }).first().waitFor({ timeout: 20_000 });
    const titles = (await this.page.locator(SELECTORS.actionRow).allInnerTexts()).map((title) => title.trim());
    await this.page.keyboard.press('Escape');
    return titles;
  }

  /** The language status hover (the `{}` beside the language mode): each item's text, and its severity class. */
  async languageStatus(expected: string | RegExp): Promise<{ text: string; error: boolean }[]> {
    const items = this.page.locator(SELECTORS.languageStatusItem);
    // The hover shows the items as they were when it opened: hovered again until the expected text is there.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await this.page.mouse.move(0, 0);
      await this.page.hover(SELECTORS.languageStatus);
      try {
        await items.filter({ hasText: expected }).first().waitFor({ timeout: 2_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
    const result = await items.evaluateAll((elements) => elements.map((element) => ({
      text: (element as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim(),
      error: !!element.querySelector('.severity.sev3'),
    })));
    return result;
  }

  private async retryOnce(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch {
      await this.page.keyboard.press('Escape');
      await step();
    }
  }
}

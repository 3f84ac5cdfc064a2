// Renders media/icon.svg (the source) to media/icon.png, the 128×128 PNG the Marketplace shows (it takes no
// SVG icon). Debian's Chromium through playwright-core (npm run setup:editor installs it):
//   node scripts/render-icon.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const svg = readFileSync(join(root, 'media', 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.INITLINT_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  writeFileSync(join(root, 'media', 'icon.png'), await page.locator('svg').screenshot({ omitBackground: true }));
  console.log('wrote media/icon.png');
} finally {
  await browser.close();
}

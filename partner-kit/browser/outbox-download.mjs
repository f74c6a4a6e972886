// Opens the local runtime's outbox in headless Chromium, clicks the download link of the newest e-mail (or of the
// e-mail about --request <id>), and saves what the browser downloads. Prints one JSON line: the saved file, its
// size, the link clicked, and the screenshot.
//
//   node browser/outbox-download.mjs --base-url http://127.0.0.1:3000 --out-dir target/outbox [--request <id>]
//
// Chromium: Debian's /usr/bin/chromium unless CHROMIUM_PATH says otherwise (playwright-core downloads no browser).
import { chromium } from 'playwright-core';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`missing ${name}`);
  return fallback;
}

const baseUrl = option('--base-url', 'http://127.0.0.1:3000');
const outDir = resolve(option('--out-dir', 'target/outbox'));
const requestId = option('--request', '');
mkdirSync(outDir, { recursive: true });

// Flags: no sandbox (CI runs as root), and no background connections to Google (the network is closed here).
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const response = await page.goto(new URL('/_local/outbox.html', baseUrl).toString());
  if (!response || response.status() !== 200) {
    throw new Error(`outbox.html answered ${response && response.status()}`);
  }
  // Messages are listed oldest first: the newest is the last article.
  const articles = requestId
    ? page.locator('article').filter({ has: page.locator('h2', { hasText: requestId }) })
    : page.locator('article');
  const count = await articles.count();
  if (count === 0) throw new Error(`no e-mail in the outbox${requestId ? ' about ' + requestId : ''}`);
  const message = articles.nth(count - 1);
  const link = message.locator('ul a').first();
  const href = await link.getAttribute('href');

  const screenshot = join(outDir, 'outbox.png');
  await page.screenshot({ path: screenshot, fullPage: true });

  // A click on the link: straight to the presigned archive, or through a redirect to it; either ends in a download.
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), link.click()]);
  const failure = await download.failure();
  if (failure) throw new Error(`download failed: ${failure}`);
  const file = join(outDir, download.suggestedFilename() || 'download.zip');
  await download.saveAs(file);
  console.log(JSON.stringify({ file, bytes: statSync(file).size, link: href, finalUrl: download.url(), screenshot }));
} finally {
  await browser.close();
}

// Vector search in the browser: opens the app's benchmark page
// (?bench=vectors) in headless Chromium, waits for the worker's figures
// (timed there with performance.now()), prints them and writes them to
// target/bench/browser-vectors.json.
//
//   node tests/bench/vectors.mjs [10000,100000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serve, browser } from '../e2e/harness.mjs';

const sizes = process.argv[2] ?? '10000,100000';
const server = await serve();
const b = await browser();
try {
  const { page } = b;
  await page.goto(`${server.url}?bench=vectors&n=${sizes}`);
  await page.waitForSelector('[data-testid=bench-result]', { timeout: 30 * 60_000 });
  const figures = JSON.parse(await page.textContent('[data-testid=bench-result]'));
  figures.browser = await page.evaluate(() => navigator.userAgent);
  const out = join(ROOT, 'target', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'browser-vectors.json'), JSON.stringify(figures, null, 2));
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await b.close();
  await server.close();
}

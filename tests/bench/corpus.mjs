// Token counting and near-dedup in the browser: opens the app's benchmark
// page (?bench=tokenize, ?bench=minhash) in headless Chromium, waits for the
// worker's figures (timed there with performance.now()), prints them and
// writes them to target/bench/browser-KIND.json.
//
//   node tests/bench/corpus.mjs tokenize|minhash [OUT_DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serve, browser } from '../e2e/harness.mjs';

const kind = process.argv[2] ?? 'tokenize';
const out = process.argv[3] ?? join(ROOT, 'target', 'bench');
const server = await serve();
const b = await browser();
try {
  const { page } = b;
  await page.goto(`${server.url}?bench=${kind}`);
  await page.waitForSelector('[data-testid=bench-result]', { timeout: 30 * 60_000 });
  const figures = JSON.parse(await page.textContent('[data-testid=bench-result]'));
  if (figures.error) throw new Error(figures.error);
  figures.browser = await page.evaluate(() => navigator.userAgent);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `browser-${kind}.json`), JSON.stringify(figures, null, 2));
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await b.close();
  await server.close();
}

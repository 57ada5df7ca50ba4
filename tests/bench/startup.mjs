// Start-up of the release build from localhost: the wasm files' sizes (raw
// and gzipped, as a static host compressing them would send them), and over
// RUNS fresh browser profiles (cold cache) the first paint and first
// contentful paint of the app (performance paint timing) and which files the
// first load fetched (tokenizers and the model must not be among them).
//
//   node tests/bench/startup.mjs [RUNS] [OUT_DIR]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, ROOT, serve, browser } from '../e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const out = process.argv[3] ?? join(ROOT, 'target', 'bench');
const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const wasm = readdirSync(DIST)
  .filter((f) => f.endsWith('.wasm'))
  .map((file) => {
    const bytes = readFileSync(join(DIST, file));
    return {
      file,
      // The app's own module is preloaded by index.html; the worker's is
      // fetched when a worker is first spawned.
      initial: html.includes(file),
      bytes: bytes.length,
      gzip_bytes: gzipSync(bytes, { level: 9 }).length,
    };
  });

const server = await serve();
const loads = [];
for (let i = 0; i < runs; i++) {
  const b = await browser();
  try {
    const { page } = b;
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    const start = Date.now();
    await page.goto(server.url, { waitUntil: 'load' });
    // The app has painted once its root is mounted.
    await page.waitForSelector('main, body > *', { timeout: 30_000 });
    await page.waitForFunction(
      () => performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint'),
      null,
      { timeout: 30_000 },
    );
    const timing = await page.evaluate(() => {
      const paint = Object.fromEntries(
        performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]),
      );
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        first_paint_ms: paint['first-paint'],
        first_contentful_paint_ms: paint['first-contentful-paint'],
        dom_content_loaded_ms: nav?.domContentLoadedEventEnd,
        load_ms: nav?.loadEventEnd,
      };
    });
    await page.waitForTimeout(500);
    loads.push({ ...timing, wall_ms: Date.now() - start, fetched: [...new Set(fetched)] });
  } finally {
    await b.close();
  }
}
await server.close();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fetchedAssets = [...new Set(loads.flatMap((l) => l.fetched))].filter((p) => p.includes('/assets/'));
const figures = {
  wasm,
  runs,
  median_first_paint_ms: median(loads.map((l) => l.first_paint_ms)),
  median_first_contentful_paint_ms: median(loads.map((l) => l.first_contentful_paint_ms)),
  max_first_contentful_paint_ms: Math.max(...loads.map((l) => l.first_contentful_paint_ms)),
  assets_fetched_at_start: fetchedAssets,
  loads,
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'browser-startup.json'), JSON.stringify(figures, null, 2));
console.log(JSON.stringify(figures, null, 2));

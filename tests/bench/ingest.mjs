// Ingestion end to end in the tab: a JSONL corpus built from the demo
// (scripts/big_corpus.py) is picked in the file input of the release build
// and loaded (parsed, tokenized, hashed, embedded, stored) by the worker
// pool; prints MB/s and each worker's peak WebAssembly memory, and writes
// them to target/bench/browser-ingest-<MB>.json.
//
//   node tests/bench/ingest.mjs [MEGABYTES ...]     (default 100)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serve, browser, confirmColumns, number, text } from '../e2e/harness.mjs';

const sizes = process.argv.slice(2).map(Number);
const out = join(ROOT, 'target', 'bench');
mkdirSync(out, { recursive: true });
mkdirSync(join(ROOT, '.cache'), { recursive: true });

for (const mb of sizes.length ? sizes : [100]) {
  const file = join(ROOT, '.cache', `bench-${mb}.jsonl`);
  if (!existsSync(file)) execFileSync('python3', [join(ROOT, 'scripts', 'big_corpus.py'), file, String(mb)], { cwd: ROOT });
  const bytes = statSync(file).size;
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    let memory = [];
    let stages = '';
    page.on('console', (m) => {
      const found = m.text().match(/worker wasm memory MiB: ([\d ]+)/);
      if (found) memory = found[1].trim().split(' ').map(Number);
      const waited = m.text().match(/ingest stages: (.*)/);
      if (waited) stages = waited[1];
    });
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=library]');
    await page.setInputFiles('[data-testid=file-input]', file);
    await confirmColumns(page);
    const started = Date.now();
    await page.waitForSelector('[data-testid=loaded], [data-testid=error]', { timeout: 3 * 3600_000 });
    const seconds = (Date.now() - started) / 1000;
    if (await page.isVisible('[data-testid=error]')) throw new Error(await text(page, '[data-testid=error]'));
    await new Promise((r) => setTimeout(r, 500));
    const figures = {
      megabytes: +(bytes / 1e6).toFixed(1),
      documents: number(await text(page, '[data-testid=loaded-documents]')),
      seconds: +seconds.toFixed(1),
      mb_per_s: +(bytes / 1e6 / seconds).toFixed(2),
      workers: await page.evaluate(() => navigator.hardwareConcurrency),
      worker_memory_mib: memory,
      main_thread_waited: stages,
      errors: b.errors,
    };
    writeFileSync(join(out, `browser-ingest-${mb}.json`), JSON.stringify(figures, null, 2));
    console.log(JSON.stringify(figures));
  } finally {
    await b.close();
    await server.close();
  }
}

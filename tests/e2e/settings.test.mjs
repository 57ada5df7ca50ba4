// Settings of a loaded corpus: a new LSH banding re-clusters from the stored
// signatures and a new tokenizer recounts the stored documents, in the
// background; the exported report then equals the CLI's with those settings,
// and stays so after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, OUT, serve, browser, cliReport, dropFiles, jsonDiff, text } from './harness.mjs';

const DEMO = join(ROOT, 'assets', 'corpus', 'demo.jsonl');

async function exported(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-testid=export-report]'),
  ]);
  return JSON.parse(readFileSync(await download.path(), 'utf8'));
}

test('changing the banding and the tokenizer recomputes only what depends on them, like the CLI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpuscope-settings-'));
  const file = join(dir, 'demo-1500.jsonl');
  writeFileSync(file, readFileSync(DEMO, 'utf8').split('\n').slice(0, 1500).join('\n') + '\n');
  const expected = cliReport([file], ['--tokenizer', 'cl100k_base', '--bands', '28', '--rows', '4']);
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    await page.goto(server.url);
    await dropFiles(page, '[data-testid=drop-zone]', [{ name: 'demo-1500.jsonl', path: file }]);
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 120_000 });
    const before = await text(page, '[data-testid=dedup-summary]');
    assert.match(before, /14 bands × 8 rows · tokenizer gpt2-bytelevel-bpe/);

    await page.selectOption('[data-testid=banding]', '28x4');
    await page.click('[data-testid=reband]');
    await page.waitForSelector('[data-testid=note]:has-text("28 bands × 4 rows")', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=dedup-summary]:has-text("28 bands × 4 rows")');

    await page.selectOption('[data-testid=recount-tokenizer]', 'cl100k_base');
    await page.click('[data-testid=recount]');
    await page.waitForSelector('[data-testid=note]:has-text("counted again with cl100k_base")', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=dedup-summary]:has-text("tokenizer cl100k_base")');
    await page.screenshot({ path: join(OUT, 'settings-recomputed.png'), fullPage: true });

    const diff = jsonDiff(await exported(page), expected, 0);
    assert.deepEqual(diff.diffs, []);

    // The new settings and report are stored: a reload shows them.
    await page.reload();
    await page.click('[data-testid=open-corpus]');
    await page.waitForSelector('[data-testid=dedup-summary]:has-text("28 bands × 4 rows")');
    assert.deepEqual(jsonDiff(await exported(page), expected, 0).diffs, []);
    const row = await page.locator('[data-testid=corpus-row]').first().textContent();
    assert.match(row, /cl100k_base/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

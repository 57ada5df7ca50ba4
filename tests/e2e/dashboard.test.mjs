// The dashboard of a loaded corpus, and its report exported from the browser
// compared with the CLI's report on the same file and settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, OUT, serve, browser, text, number, cliReport, jsonDiff } from './harness.mjs';

const DEMO = join(ROOT, 'assets', 'corpus', 'demo.jsonl');

test('the demo corpus opens a per-source dashboard whose exported report equals the CLI report', async () => {
  const expected = cliReport([DEMO]);
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    await page.goto(server.url);
    await page.click('[data-testid=demo-button]');
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 240_000 });

    const names = await page.locator('[data-testid=source-name]').allTextContents();
    assert.deepEqual(names, [...Object.keys(expected.tokens.sources), 'all sources']);
    const docs = await page.locator('[data-testid=source-documents]').allTextContents();
    assert.equal(number(docs.at(-1)), expected.tokens.overall.documents);
    const tokens = await page.locator('[data-testid=source-tokens]').allTextContents();
    assert.equal(number(tokens.at(-1)), expected.tokens.overall.tokens.total);
    assert.match(await text(page, '[data-testid=dedup-summary]'),
      new RegExp(`^${expected.dedup.exact_clusters.length} exact-duplicate clusters`));
    await page.screenshot({ path: join(OUT, 'dashboard-demo.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=export-report]'),
    ]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    const diff = jsonDiff(exported, expected, 0);
    console.log(`report: ${diff.floats} floats compared, ${diff.exactFloats} bit-identical`);
    assert.deepEqual(diff.diffs, []);

    // After a reload the dashboard opens from the stored report at once.
    await page.reload();
    await page.click('[data-testid=open-corpus]');
    await page.waitForSelector('[data-testid=dashboard]');
    const again = await page.locator('[data-testid=source-name]').allTextContents();
    assert.deepEqual(again, names);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

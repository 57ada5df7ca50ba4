// The first vertical slice, as a person uses it: drop a JSONL file, read the
// figures, reload, read them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, OUT, serve, browser, dropFiles, oracleCounts, text, number, withDemo } from './harness.mjs';

const GPT2 = join(ROOT, 'assets', 'tokenizers', 'gpt2-bytelevel-bpe', 'tokenizer.json');
const FIXTURE = join(ROOT, 'tests', 'e2e', 'fixtures', 'slice.jsonl');
const DEMO = join(ROOT, 'assets', 'corpus', 'demo.jsonl');

test('a dropped JSONL file is counted, stored, and listed again after a reload', async () => {
  const expected = oracleCounts(GPT2, FIXTURE);
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=library-empty]');

    await dropFiles(page, '[data-testid=drop-zone]', [{ name: 'slice.jsonl', path: FIXTURE }]);
    await page.waitForSelector('[data-testid=loaded]', { timeout: 60_000 });
    assert.equal(number(await text(page, '[data-testid=loaded-documents]')), expected.documents);
    assert.equal(number(await text(page, '[data-testid=loaded-tokens]')), expected.tokens);
    const problems = await text(page, '[data-testid=problems] summary');
    assert.match(problems, new RegExp(`^${expected.rejected_lines.length} records`));
    await page.click('[data-testid=problems] summary');
    for (const line of expected.rejected_lines) {
      assert.ok((await text(page, '[data-testid=problems]')).includes(`slice.jsonl:${line}`));
    }
    // The document holding <script> and <img onerror> was stored as text, never run.
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.screenshot({ path: join(OUT, 'slice-loaded.png'), fullPage: true });

    await page.reload();
    const row = page.locator('[data-testid=corpus-row]');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(number(await text(page, '[data-testid=corpus-documents]')), expected.documents);
    assert.equal(number(await text(page, '[data-testid=corpus-tokens]')), expected.tokens);
    assert.equal(await row.locator('.badge').count(), 0, 'the corpus is complete');
    await page.screenshot({ path: join(OUT, 'slice-reloaded.png'), fullPage: true });

    await page.click('[data-testid=delete-corpus]');
    await page.waitForSelector('[data-testid=library-empty]');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('the bundled demo corpus loads in one click with oracle-exact token counts', async () => {
  const expected = oracleCounts(GPT2, DEMO);
  await withDemo(async (page, b) => {
    await page.waitForSelector('[data-testid=loaded]', { timeout: 180_000 });
    assert.equal(number(await text(page, '[data-testid=loaded-documents]')), expected.documents);
    assert.equal(number(await text(page, '[data-testid=loaded-tokens]')), expected.tokens);
    await page.screenshot({ path: join(OUT, 'demo-loaded.png'), fullPage: true });
    assert.deepEqual(b.errors, []);
  });
});

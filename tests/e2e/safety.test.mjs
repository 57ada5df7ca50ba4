// Safe rendering: document text, file names, column names and sources that
// hold HTML are shown as text everywhere (column mapping, table, search,
// document view, cluster diffs) and nothing in them runs; the page carries a
// Content-Security-Policy without 'unsafe-eval'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, DIST, serve, browser, dropFiles } from './harness.mjs';

const SCRIPT = '<script>window.__pwned = "script"</script>';
const IMG = '<img src=x onerror="window.__pwned = \'img\'">';
const SOURCE = '<b onmouseover="window.__pwned = \'source\'">src</b>';
const COLUMN = '<img src=y onerror="window.__pwned = \'column\'">';
const FILE = '<svg onload="window.__pwned = 1">.jsonl';

test('HTML in documents, names and columns is shown as text and never runs', async () => {
  const policy = readFileSync(join(DIST, 'index.html'), 'utf8').match(/http-equiv="Content-Security-Policy" content="([^"]+)"/);
  assert.ok(policy, 'the built page has a Content-Security-Policy');
  assert.doesNotMatch(policy[1], /'unsafe-eval'/);
  assert.match(policy[1], /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);

  const lines = [];
  for (let i = 0; i < 12; i++) {
    const text = i < 4
      ? `${SCRIPT} hello ${IMG} world, the same copy every time`
      : `record ${i}: ${IMG} text number ${i} with words ${'w'.repeat(i)} ${SCRIPT}`;
    lines.push(JSON.stringify({ text, source: i % 2 ? SOURCE : 'plain', [COLUMN]: 'x' }));
  }
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(server.url);
    await dropFiles(page, '[data-testid=drop-zone]', [{ name: FILE, bytes: Buffer.from(lines.join('\n') + '\n') }], { confirm: false });
    await page.waitForSelector('[data-testid=mapping-records]');
    assert.ok((await page.textContent('[data-testid=mapping]')).includes(COLUMN), 'the column name is shown as text');
    await page.screenshot({ path: join(OUT, 'safety-mapping.png') });
    await page.click('[data-testid=start-load]');
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 120_000 });
    assert.ok((await page.textContent('[data-testid=dashboard] h2')).includes(FILE));
    const sources = await page.locator('[data-testid=source-name]').allTextContents();
    assert.ok(sources.includes(SOURCE), sources.join(' | '));

    // Search: the snippet shows the markup literally.
    await page.waitForSelector('[data-testid=search-run]:not([disabled])', { timeout: 60_000 });
    await page.fill('[data-testid=search-query]', 'hello world');
    await page.selectOption('[data-testid=search-mode]', 'keyword');
    await page.click('[data-testid=search-run]');
    await page.waitForSelector('[data-testid=search-hit]');
    const snippet = await page.textContent('[data-testid=hit-snippet] >> nth=0');
    assert.ok(snippet.includes('<script>') && snippet.includes('onerror='), snippet);

    // The document view and the exact cluster's diff show it too.
    await page.click('[data-testid=hit-open] >> nth=0');
    await page.waitForSelector('[data-testid=document-tokens]');
    assert.ok((await page.textContent('[data-testid=document-tokens]')).includes(SCRIPT));
    await page.click('[data-testid=clusters-exact]');
    await page.click('[data-testid=cluster] >> nth=0');
    await page.waitForSelector('[data-testid=member]');
    assert.ok((await page.textContent('[data-testid=member] >> nth=0')).includes(IMG));
    await page.hover('[data-testid=source-name] >> text=src');
    await page.screenshot({ path: join(OUT, 'safety-dashboard.png'), fullPage: true });

    // Nothing ran, no element was made from the text, nothing was blocked.
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('main img, main script, main svg[onload], main b').count(), 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

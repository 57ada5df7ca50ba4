// Search of a loaded corpus: semantic results equal Python model2vec with a
// NumPy brute force, keyword and hybrid modes, filters, and the stored
// vectors and index used again after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, OUT, serve, browser, dropFiles, text, number, withDemo } from './harness.mjs';

const DEMO = join(ROOT, 'assets', 'corpus', 'demo.jsonl');
const MODEL = join(ROOT, 'assets', 'embeddings', 'minilm-l6-m2v-128-int8');
const GPT2 = join(ROOT, 'assets', 'tokenizers', 'gpt2-bytelevel-bpe', 'tokenizer.json');
const QUERIES = ['free software license terms', 'how to sort a list in python', 'parse an integer from bytes'];

function oracleTopK(k, queries) {
  const python = process.env.ORACLE_PYTHON ?? join(ROOT, '.cache', 'venv', 'bin', 'python');
  const script = join(ROOT, 'tests', 'oracle', 'semantic_topk.py');
  return JSON.parse(execFileSync(python, [script, MODEL, DEMO, String(k), ...queries], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

/** Runs one search through the form and returns its hits. */
async function search(page, query, { mode = 'hybrid', source = '', min = '', max = '', duplicates = 'any' } = {}) {
  await page.fill('[data-testid=search-query]', query);
  await page.selectOption('[data-testid=search-mode]', mode);
  await page.selectOption('[data-testid=search-source]', source);
  await page.fill('[data-testid=search-min-tokens]', min);
  await page.fill('[data-testid=search-max-tokens]', max);
  await page.selectOption('[data-testid=search-duplicates]', duplicates);
  const before = await page.locator('[data-testid=search-summary]').textContent().catch(() => null);
  await page.click('[data-testid=search-run]');
  await page.waitForFunction(
    ([q, m, old]) => {
      const s = document.querySelector('[data-testid=search-summary]')?.textContent ?? '';
      return s !== old && s.includes(`“${q}”`) && s.includes(`${m} search`);
    },
    [query, mode, before],
    { timeout: 30_000 },
  );
  return page.locator('[data-testid=search-hit]').evaluateAll((items) => items.map((li) => ({
    doc: Number(li.dataset.doc),
    source: li.querySelector('[data-testid=hit-source]').textContent,
    facts: li.querySelector('[data-testid=hit-facts]').textContent,
    snippet: li.querySelector('[data-testid=hit-snippet]').textContent,
    marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
  })));
}

async function vectorBlocks(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open('corpuscope');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const ask = (req) => new Promise((ok, fail) => { req.onsuccess = () => ok(req.result); req.onerror = () => fail(req.error); });
    const tx = db.transaction(['vectors', 'reports'], 'readonly');
    const blocks = await ask(tx.objectStore('vectors').getAll());
    const reports = await ask(tx.objectStore('reports').getAll());
    db.close();
    return {
      blocks: blocks.length,
      rows: blocks.reduce((n, b) => n + b.count, 0),
      binary: blocks.every((b) => b.data instanceof Uint8Array && b.data.length === b.count * b.dim * 4),
      map: reports.map((r) => r.vectors?.map instanceof Uint8Array),
    };
  });
}

test('semantic, keyword and hybrid search with filters, equal to a brute force, after a reload too', async () => {
  const oracle = oracleTopK(20, QUERIES);
  await withDemo(async (page, b) => {
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 240_000 });
    await page.waitForSelector('[data-testid=search-run]:not([disabled])', { timeout: 60_000 });

    // Semantic clusters beside MinHash ones; the same clusters as the engine
    // finds natively on the demo corpus (BENCHMARKS.md: 309 clusters, 745 documents, leader rule).
    assert.match(await text(page, '[data-testid=semantic-summary]'),
      /cosine ≥ 0\.95\): 309 clusters, 745 documents · MinHash duplicates: [\d,]+ documents · in both: [\d,]+/);

    const stored = await vectorBlocks(page);
    assert.equal(stored.rows, 6604, 'one stored vector per document');
    assert.ok(stored.binary, 'vectors are stored as binary arrays');
    assert.deepEqual(stored.map, [true]);

    const semantic = {};
    for (const want of oracle) {
      const hits = await search(page, want.query, { mode: 'semantic' });
      semantic[want.query] = hits.map((h) => h.doc);
      assert.deepEqual(hits.map((h) => h.doc), want.docs, `semantic top-20 for "${want.query}"`);
    }
    await page.screenshot({ path: join(OUT, 'search-semantic.png'), fullPage: true });

    // The first hit opens in the document view: its token ids are Python
    // tokenizers' ids for that text, and its boundaries join back to it.
    const first = oracle.at(-1).docs[0];
    await page.click('[data-testid=hit-open] >> nth=0');
    await page.waitForSelector(`[data-testid=document] h3:has-text("Document ${(first + 1).toLocaleString('en-US')}")`);
    const shown = await page.locator('[data-testid=document-tokens]').evaluate((pre) => ({
      ids: [...pre.querySelectorAll('span[data-ids]')].flatMap((s) => s.dataset.ids.split(' ').map(Number)),
      text: pre.textContent,
    }));
    const lines = readFileSync(DEMO, 'utf8').trim().split('\n');
    const dir = mkdtempSync(join(tmpdir(), 'corpuscope-doc-'));
    writeFileSync(join(dir, 'one.jsonl'), lines[first] + '\n');
    const python = process.env.ORACLE_PYTHON ?? join(ROOT, '.cache', 'venv', 'bin', 'python');
    const [want] = JSON.parse(execFileSync(python, [join(ROOT, 'tests', 'oracle', 'token_offsets.py'), GPT2, join(dir, 'one.jsonl'), '1'], { encoding: 'utf8' }));
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(shown.ids, want.slice(0, 4000).map(([id]) => id));
    if (want.length <= 4000) assert.equal(shown.text, JSON.parse(lines[first]).text);
    assert.equal(await page.locator('[data-testid=neighbour]').count(), 10);
    await page.screenshot({ path: join(OUT, 'document-view.png'), fullPage: true });
    await page.click('[data-testid=neighbour] >> nth=0');
    await page.waitForFunction((d) => !document.querySelector('[data-testid=document] h3').textContent.endsWith(` ${d}`), (first + 1).toLocaleString('en-US'));

    // Keyword: every hit holds the word, marked in its snippet.
    const keyword = await search(page, 'iterator', { mode: 'keyword', source: 'code' });
    assert.ok(keyword.length > 0);
    for (const h of keyword) {
      assert.equal(h.source, 'code');
      assert.ok(h.marks.some((m) => m.toLowerCase() === 'iterator'), h.snippet);
    }

    // Hybrid with a token range and duplicates only.
    const hybrid = await search(page, 'GNU General Public License version 2', {
      mode: 'hybrid', min: '1000', max: '20000', duplicates: 'duplicated',
    });
    assert.ok(hybrid.length > 0);
    for (const h of hybrid) {
      const tokens = Number(h.facts.match(/([\d,]+) tokens/)[1].replaceAll(',', ''));
      assert.ok(tokens >= 1000 && tokens <= 20000, h.facts);
      assert.ok(/duplicate|kept from a cluster/.test(h.facts), h.facts);
      assert.ok(/semantic #|keyword #/.test(h.facts));
    }
    await page.screenshot({ path: join(OUT, 'search-hybrid.png'), fullPage: true });

    // After a reload: the stored vectors and index answer the same.
    await page.reload();
    await page.click('[data-testid=open-corpus]');
    await page.waitForSelector('[data-testid=search-run]:not([disabled])', { timeout: 60_000 });
    const again = await search(page, QUERIES[0], { mode: 'semantic' });
    assert.deepEqual(again.map((h) => h.doc), semantic[QUERIES[0]]);
    assert.deepEqual(b.errors, []);
  });
});

test('a column of vectors is used as the embeddings, with its length checked', async () => {
  // 40 documents with 4-value vectors around two directions; lines 7 and 9 are broken.
  const lines = [];
  for (let i = 0; i < 40; i++) {
    const base = i % 2 ? [1, 0, 0, 0] : [0, 0, 1, 0];
    let embedding = base.map((v, j) => v + 0.01 * ((i * 7 + j * 3) % 5));
    if (i === 6) embedding = [1, 2, 3];
    if (i === 8) embedding = [1, 'NaN', 0, 0];
    lines.push(JSON.stringify({ text: `document ${i} about ${i % 2 ? 'apples' : 'rivers'}`, embedding }));
  }
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    await page.goto(server.url);
    await dropFiles(page, '[data-testid=drop-zone]', [{ name: 'own-vectors.jsonl', bytes: Buffer.from(lines.join('\n') + '\n') }], { confirm: false });
    await page.waitForSelector('[data-testid=mapping]');
    assert.equal(await page.inputValue('[data-testid=vector-field]'), 'embedding');
    await page.screenshot({ path: join(OUT, 'search-own-vectors-mapping.png'), fullPage: true });
    await page.click('[data-testid=start-load]');
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 60_000 });
    assert.equal(number(await text(page, '[data-testid=loaded-documents]')), 38);
    const problems = await page.locator('[data-testid=problems] li, [data-testid=problems] tr').allTextContents();
    assert.ok(problems.some((p) => /7/.test(p) && /3 values, expected 4/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /9/.test(p) && /NaN/.test(p)), problems.join('\n'));

    // The stored rows are the file's own values, bit for bit.
    const rows = await page.evaluate(async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open('corpuscope'); r.onsuccess = () => ok(r.result); });
      const all = await new Promise((ok) => { const r = db.transaction('vectors').objectStore('vectors').getAll(); r.onsuccess = () => ok(r.result); });
      db.close();
      return all.flatMap((b) => Array.from(new Float32Array(b.data.buffer.slice(b.data.byteOffset, b.data.byteOffset + b.data.byteLength))));
    });
    const want = lines.map((l) => JSON.parse(l).embedding).filter((e, i) => i !== 6 && i !== 8).flat().map(Math.fround);
    assert.deepEqual(rows, want);

    // No query can be embedded in the file's space: keyword search only.
    await page.waitForSelector('[data-testid=search-state]:has-text("keyword search only")', { timeout: 30_000 });
    const hits = await search(page, 'apples', { mode: 'keyword' });
    assert.equal(hits.length, 20);
    assert.ok(hits.every((h) => h.marks.includes('apples')));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

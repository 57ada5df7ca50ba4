// Exports of a loaded corpus: the deduplicated documents (one kept per group
// of exact or near duplicates), the cluster of each document, a Markdown
// summary — each checked against the exported report's clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, withDemo } from './harness.mjs';

const DEMO = join(ROOT, 'assets', 'corpus', 'demo.jsonl');

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  return readFileSync(await file.path(), 'utf8');
}

/** Groups of documents linked by the report's exact and near clusters. */
function groups(report) {
  const parent = [...Array(report.dedup.documents).keys()];
  const find = (x) => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (const c of [...report.dedup.exact_clusters, ...report.dedup.near_clusters]) {
    for (const m of c.members) parent[find(m)] = find(c.members[0]);
  }
  const byRoot = new Map();
  parent.forEach((_, i) => {
    const r = find(i);
    byRoot.set(r, [...(byRoot.get(r) ?? []), i]);
  });
  return [...byRoot.values()].filter((g) => g.length > 1);
}

test('the deduplicated corpus, the clusters and a Markdown summary are exported', async () => {
  const texts = readFileSync(DEMO, 'utf8').trim().split('\n').map((l) => JSON.parse(l).text);
  await withDemo(async (page, b) => {
    await page.waitForSelector('[data-testid=exports]', { timeout: 240_000 });
    const report = JSON.parse(await download(page, 'export-report'));
    const found = groups(report);
    const dropped = new Set(found.flatMap((g) => g.slice(1)));

    // Keeping the first of each group: exactly the others, in corpus order.
    const dedup = (await download(page, 'export-dedup')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(dedup.length, texts.length - dropped.size);
    const lines = dedup.map((d) => d.line - 1);
    assert.deepEqual(lines, [...texts.keys()].filter((i) => !dropped.has(i)));
    assert.ok(dedup.every((d) => d.text === texts[d.line - 1] && d.file === 'demo.jsonl'));

    // Keeping the longest: as many documents, each group's longest text.
    await page.selectOption('[data-testid=export-keep]', 'longest');
    const longest = (await download(page, 'export-dedup')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(longest.length, dedup.length);
    const keptLines = new Set(longest.map((d) => d.line - 1));
    for (const g of found) {
      const kept = g.filter((i) => keptLines.has(i));
      assert.equal(kept.length, 1);
      const max = Math.max(...g.map((i) => Buffer.byteLength(texts[i])));
      assert.equal(Buffer.byteLength(texts[kept[0]]), max);
    }

    // Clusters: every grouped document once, with its group's size.
    const csv = (await download(page, 'export-clusters-csv')).trim().split('\n');
    assert.equal(csv[0], 'document,cluster,cluster_size');
    assert.equal(csv.length - 1, found.reduce((n, g) => n + g.length, 0));
    const jsonl = (await download(page, 'export-clusters-jsonl')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(jsonl.length, csv.length - 1);
    const sizes = new Map(found.flatMap((g) => g.map((i) => [i, g.length])));
    assert.ok(jsonl.every((a) => sizes.get(a.document) === a.cluster_size));

    // Markdown: a row per source with its documents.
    const md = await download(page, 'export-markdown');
    assert.match(md, /^# demo\.jsonl\n/);
    for (const [source, s] of Object.entries(report.tokens.sources)) {
      assert.match(md, new RegExp(`\\| ${source} \\| ${s.documents.toLocaleString('en-US')} \\|`));
    }
    assert.deepEqual(b.errors, []);
  });
});

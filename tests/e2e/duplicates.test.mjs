// The duplicates view: exact, near and semantic clusters; a cluster opens
// with word diffs against its representative and Jaccard similarities, the
// exact ones equal to a plain-Python shingle computation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, OUT, cliReport, withDemo } from './harness.mjs';

const DEMO = join(ROOT, 'assets', 'corpus', 'demo.jsonl');

function oracleJaccard(pairs) {
  const python = process.env.ORACLE_PYTHON ?? join(ROOT, '.cache', 'venv', 'bin', 'python');
  const script = join(ROOT, 'tests', 'oracle', 'shingle_jaccard.py');
  return JSON.parse(execFileSync(python, [script], { input: JSON.stringify({ n: 5, pairs }), encoding: 'utf8' }));
}

test('clusters open with diffs against the representative and exact Jaccard like Python', async () => {
  const texts = readFileSync(DEMO, 'utf8').trim().split('\n').map((l) => JSON.parse(l).text);
  await withDemo(async (page, b) => {
    await page.waitForSelector('[data-testid=duplicates]', { timeout: 240_000 });
    await page.waitForSelector('[data-testid=cluster]:not([disabled])', { timeout: 60_000 });
    assert.ok(await page.isVisible('[data-testid=s-curve] polyline'));

    // The largest near-duplicate cluster.
    await page.click('[data-testid=cluster] >> nth=0');
    await page.waitForSelector('[data-testid=member]');
    const members = await page.locator('[data-testid=member]').evaluateAll((els) => els.map((e) => ({
      doc: Number(e.dataset.doc),
      facts: e.querySelector('[data-testid=member-facts]').textContent,
      ins: e.querySelectorAll('ins').length,
      del: e.querySelectorAll('del').length,
    })));
    assert.ok(members.length >= 2);
    assert.match(members[0].facts, /representative/);
    const rep = members[0].doc;
    const others = members.slice(1);
    const want = oracleJaccard(others.map((m) => [texts[rep], texts[m.doc]]));
    others.forEach((m, i) => {
      const [, estimated, exact] = m.facts.match(/Jaccard ([\d.]+) estimated, ([\d.]+) exact/);
      assert.equal(exact, want[i].toFixed(3), `document ${m.doc}`);
      assert.ok(Math.abs(Number(estimated) - want[i]) < 0.25, `estimate ${estimated} vs ${want[i]}`);
      // A member that differs shows its changes as insertions or deletions.
      if (texts[m.doc] !== texts[rep]) assert.ok(m.ins + m.del > 0, `document ${m.doc} has a diff`);
    });
    await page.screenshot({ path: join(OUT, 'duplicates-near.png'), fullPage: true });

    // Exact clusters: identical texts, nothing inserted or deleted.
    await page.click('[data-testid=clusters-exact]');
    await page.click('[data-testid=cluster] >> nth=0');
    await page.waitForSelector('[data-testid=cluster-detail] h4:has-text("exact cluster")');
    const exact = await page.locator('[data-testid=member]').evaluateAll((els) => els.map((e) => e.querySelectorAll('ins, del').length));
    assert.ok(exact.length >= 2 && exact.every((n) => n === 0));

    // Semantic clusters are reachable too; each member shows its cosine with
    // the representative, at least the threshold the overview states.
    const shown = Number((await page.textContent('[data-testid=semantic-summary]')).match(/cosine ≥ ([\d.]+)\)/)[1]);
    await page.click('[data-testid=clusters-semantic]');
    await page.click('[data-testid=cluster] >> nth=0');
    await page.waitForSelector('[data-testid=cluster-detail] h4:has-text("semantic cluster")');
    const cosines = await page.locator('[data-testid=member-facts]').allTextContents();
    const values = cosines.slice(1).map((f) => Number(f.match(/cosine ([01]\.\d{3})/)?.[1]));
    assert.ok(values.length > 0 && values.every((c) => c >= shown), `${cosines.join('\n')}\nthreshold ${shown}`);

    // The threshold slider re-clusters the stored signatures at once: the
    // preview's clusters equal the CLI's under the banding it chose, and
    // each listed cluster's sources are those of its members.
    await page.click('[data-testid=clusters-near]');
    await page.locator('[data-testid=threshold]').fill('0.5');
    await page.waitForSelector('[data-testid=banding-preview]');
    const bands = Number(await page.inputValue('[data-testid=bands]'));
    const rows = Number(await page.inputValue('[data-testid=rows]'));
    assert.notDeepEqual([bands, rows], [14, 8]);
    const cli = cliReport([DEMO], ['--bands', String(bands), '--rows', String(rows)]).dedup.near_clusters;
    const inClusters = cli.reduce((n, c) => n + c.members.length, 0);
    const wantSummary = `${cli.length.toLocaleString('en')} clusters, ${inClusters.toLocaleString('en')} documents`;
    await page.waitForFunction((w) => document.querySelector('[data-testid=clusters-summary]')?.textContent.startsWith(w), wantSummary);
    const sources = readFileSync(DEMO, 'utf8').trim().split('\n').map((l) => JSON.parse(l).source);
    const largest = [...cli].sort((a, b) => b.members.length - a.members.length || a.members[0] - b.members[0])[0];
    const counts = {};
    for (const m of largest.members) counts[sources[m]] = (counts[sources[m]] ?? 0) + 1;
    const listed = await page.locator('[data-testid=cluster-sources] >> nth=0').textContent();
    for (const [s, n] of Object.entries(counts)) assert.ok(listed.includes(`${s} ×${n}`), `${listed} has ${s} ×${n}`);
    await page.screenshot({ path: join(OUT, 'duplicates-preview.png') });
    // Back to the stored banding.
    await page.click('[data-testid=banding-back]');
    await page.waitForSelector('[data-testid=banding-preview]', { state: 'detached' });
    assert.deepEqual(b.errors, []);
  });
});

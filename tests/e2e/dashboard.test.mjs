// The dashboard of a loaded corpus, and its report exported from the browser
// compared with the CLI's report on the same file and settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, OUT, text, number, cliReport, jsonDiff, withDemo } from './harness.mjs';

const DEMO = join(ROOT, 'assets', 'corpus', 'demo.jsonl');

test('the demo corpus opens a per-source dashboard whose exported report equals the CLI report', async () => {
  const expected = cliReport([DEMO]);
  await withDemo(async (page, b) => {
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

    // Charts: bars per source and bin, entropy as in the report, a heat map
    // cell per pair of sources, each saved as a standalone SVG.
    const sources = Object.keys(expected.tokens.sources);
    const bins = Math.max(...sources.map((s) => expected.tokens.sources[s].histogram.bins.length));
    assert.equal(await page.locator('#tokens-histogram rect:has(title)').count(), sources.length * bins);
    const entropyTips = await page.locator('#entropy rect title').allTextContents();
    assert.deepEqual(entropyTips, sources.map((s) => `entropy, ${s}: ${expected.diversity.sources[s].pooled_entropy_bits.toFixed(2)}`));
    assert.equal(await page.locator('#overlap rect').count(), sources.length ** 2);
    const sizes = await page.locator('#cluster-sizes rect title').allTextContents();
    const exactTotal = sizes.filter((t) => t.startsWith('exact,')).reduce((n, t) => n + Number(t.split(': ')[1].replaceAll(',', '')), 0);
    assert.equal(exactTotal, expected.dedup.exact_clusters.length);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-entropy]')]);
    const saved = readFileSync(await svg.path(), 'utf8');
    assert.match(saved, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal((saved.match(/<rect /g) ?? []).length, sources.length);
    // The same chart as PNG: twice the SVG's size, with the bars drawn.
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-png-entropy]')]);
    assert.equal(png.suggestedFilename(), 'entropy.png');
    const image = readFileSync(await png.path());
    writeFileSync(join(OUT, 'saved-entropy.png'), image);
    assert.equal(image.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual([image.readUInt32BE(16), image.readUInt32BE(20)], [1120, 480]);
    const colours = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.width, img.height];
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4 * 97) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      return seen.size;
    }, image.toString('base64'));
    assert.ok(colours > 3, `the PNG has ${colours} colours`);
    // The embedding map: every second document of 6,604 (at most 4,000 drawn), coloured by source.
    await page.waitForSelector('#embedding-map circle', { timeout: 60_000 });
    assert.equal(await page.locator('#embedding-map circle').count(), Math.ceil(expected.tokens.overall.documents / 2));
    await page.locator('[data-testid=charts]').screenshot({ path: join(OUT, 'dashboard-charts.png') });
    const points = Math.ceil(expected.tokens.overall.documents / 2);
    const bySource = await page.locator('#embedding-map rect title').allTextContents();
    assert.deepEqual(bySource.map((t) => t.split(':')[0]), sources);
    assert.equal(bySource.reduce((n, t) => n + Number(t.match(/: (\d+) points/)[1]), 0), points);
    // Coloured by semantic cluster: the 8 largest, the others, and none; the
    // largest is the one the duplicates view lists first.
    await page.selectOption('[data-testid=map-colour]', 'cluster');
    const byCluster = await page.locator('#embedding-map rect title').allTextContents();
    assert.equal(byCluster.length, 10, byCluster.join(' | '));
    assert.equal(byCluster.reduce((n, t) => n + Number(t.match(/: (\d+) points/)[1]), 0), points);
    const sizes8 = byCluster.slice(0, 8).map((t) => Number(t.match(/^#\d+ \((\d+)\)/)[1]));
    assert.deepEqual(sizes8, [...sizes8].sort((x, y) => y - x));
    await page.click('[data-testid=clusters-semantic]');
    await page.waitForSelector('[data-testid=cluster]:not([disabled])');
    const firstSemantic = await page.locator('[data-testid=cluster] >> nth=0').textContent();
    assert.equal(Number(firstSemantic.match(/^([\d,]+) documents/)[1].replaceAll(',', '')), sizes8[0]);
    await page.locator('[data-testid=charts]').screenshot({ path: join(OUT, 'dashboard-map-clusters.png') });

    // After a reload the dashboard opens from the stored report at once.
    await page.reload();
    await page.click('[data-testid=open-corpus]');
    await page.waitForSelector('[data-testid=dashboard]');
    const again = await page.locator('[data-testid=source-name]').allTextContents();
    assert.deepEqual(again, names);
    assert.deepEqual(b.errors, []);
  });
});

// Share links: the address carries the data URL, tokenizer, banding and view;
// a link opened in a fresh browser asks before fetching, then reproduces the
// view, also when the app is served from a sub-path. Views are reachable by
// keyboard, and the layout holds at tablet width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, OUT, serve, browser, cliReport } from './harness.mjs';

const DEMO = join(ROOT, 'assets', 'corpus', 'demo.jsonl');

test('a share link served from a sub-path reproduces its view after confirming', async () => {
  const [bands, rows] = [22, 5];
  const report = cliReport([DEMO], ['--tokenizer', 'cl100k_base', '--bands', String(bands), '--rows', String(rows)]);
  const near = [...report.dedup.near_clusters].sort((a, b) => b.members.length - a.members.length);
  const cluster = near[0];
  const server = await serve(undefined, '/tools/corpuscope/');
  const b = await browser();
  try {
    const { page } = b;
    const fetched = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('demo.jsonl')) fetched.push(r.url()); });
    const link = `${server.url}?data=assets%2Fcorpus%2Fdemo.jsonl&tokenizer=cl100k_base&bands=${bands}&rows=${rows}`
      + `&view=duplicates&clusters=near&cluster=${cluster.id}&q=python+license&mode=keyword&doc=${cluster.members[1]}`;
    await page.goto(link);
    await page.waitForSelector('[data-testid=link-prompt]');
    assert.equal(await page.textContent('[data-testid=link-data]'), 'assets/corpus/demo.jsonl');
    await page.waitForTimeout(500);
    assert.deepEqual(fetched, [], 'nothing is fetched before the user confirms');
    await page.screenshot({ path: join(OUT, 'share-prompt.png') });

    await page.click('[data-testid=link-load]');
    await page.waitForSelector(`[data-testid=cluster-detail] h4:has-text("near cluster ${cluster.id}:")`, { timeout: 240_000 });
    assert.ok(fetched.length > 0 && fetched.every((u) => u.startsWith(server.url)), fetched.join('\n'));
    // The settings of the link were used, and the view is the link's.
    assert.match(await page.textContent('[data-testid=dedup-summary]'), new RegExp(`${bands} bands × ${rows} rows.*tokenizer cl100k_base`));
    const members = await page.locator('[data-testid=member]').evaluateAll((els) => els.map((e) => Number(e.dataset.doc)));
    assert.deepEqual(members.sort((x, y) => x - y), cluster.members.slice(0, 50));
    await page.waitForSelector('[data-testid=search-summary]');
    assert.match(await page.textContent('[data-testid=search-summary]'), /“python license” \(keyword search/);
    assert.equal(await page.inputValue('[data-testid=search-query]'), 'python license');
    await page.waitForSelector('[data-testid=document] h3');
    assert.equal(await page.textContent('[data-testid=document] h3'), `Document ${(cluster.members[1] + 1).toLocaleString('en')}`);
    assert.equal(await page.getAttribute('[data-testid=view-duplicates]', 'aria-current'), 'true');

    // The address follows the view; a reload opens it from the library
    // without asking again.
    const address = new URL(page.url());
    assert.equal(address.pathname, '/tools/corpuscope/');
    for (const [k, v] of [['tokenizer', 'cl100k_base'], ['bands', String(bands)], ['rows', String(rows)], ['cluster', String(cluster.id)], ['doc', String(cluster.members[1])], ['q', 'python license'], ['mode', 'keyword']]) {
      assert.equal(address.searchParams.get(k), v, k);
    }
    assert.ok(address.searchParams.get('corpus'));
    await page.reload();
    await page.waitForSelector(`[data-testid=cluster-detail] h4:has-text("near cluster ${cluster.id}:")`, { timeout: 60_000 });
    assert.equal(await page.isVisible('[data-testid=link-prompt]'), false);
    await page.waitForSelector('[data-testid=document] h3');

    // Keyboard: the view links and cluster buttons work with Tab and Enter.
    await page.focus('[data-testid=view-search]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'search');
    assert.equal(await page.getAttribute('[data-testid=view-search]', 'aria-current'), 'true');
    await page.click('[data-testid=clusters-exact]');
    await page.focus('[data-testid=cluster] >> nth=0');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=cluster-detail] h4:has-text("exact cluster")');
    await page.focus('[data-testid=search-query]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('debian');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=search-summary]:has-text("“debian”")');

    // A setting changed by hand shows in the address, and a preview banding is carried.
    await page.locator('[data-testid=threshold]').fill('0.8');
    await page.waitForSelector('[data-testid=banding-preview]');
    const previewed = [await page.inputValue('[data-testid=bands]'), await page.inputValue('[data-testid=rows]')];
    await page.waitForFunction(([b, r]) => {
      const p = new URL(location.href).searchParams;
      return p.get('bands') === b && p.get('rows') === r;
    }, previewed);

    // Tablet width: nothing wider than the screen but the scrolling tables.
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    // Light and dark follow the system.
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await background(), 'rgb(247, 247, 245)');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await background(), 'rgb(22, 23, 26)');
    await page.click('[data-testid=view-overview]');
    await page.screenshot({ path: join(OUT, 'tablet-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    for (const view of ['overview', 'duplicates', 'search', 'document']) {
      await page.click(`[data-testid=view-${view}]`);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, `tablet-${view}.png`) });
    }
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('a link to a local corpus from another browser says so; closing clears the address; assets come from the cache', async () => {
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    await page.goto(`${server.url}?corpus=c123-elsewhere&view=search`);
    await page.waitForSelector('text=another browser: drop the same file here');
    await page.click('[data-testid=demo-button]');
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 240_000 });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('data') === 'assets/corpus/demo.jsonl');
    // The unrelated link's view was not applied to the demo.
    assert.equal(new URL(page.url()).searchParams.get('view'), null);
    await page.click('[data-testid=dashboard] .actions button:has-text("Close")');
    await page.waitForFunction(() => location.search === '');

    // The tokenizer and the model were fetched once and kept in the asset
    // cache: after a reload, loading again fetches neither.
    const kept = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith('corpuscope-assets-'));
      const cache = await caches.open(names[0]);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    assert.ok(kept.some((p) => p.endsWith('model.safetensors')), kept.join(' '));
    assert.ok(kept.some((p) => p.endsWith('gpt2-bytelevel-bpe/tokenizer.json')), kept.join(' '));
    await page.reload();
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.click('[data-testid=demo-button]');
    await page.waitForSelector('[data-testid=search-run]:not([disabled])', { timeout: 240_000 });
    assert.deepEqual(fetched.filter((p) => /model\.safetensors|tokenizer\.json/.test(p)), []);
    assert.ok(fetched.some((p) => p.endsWith('demo.jsonl')), 'the data itself is fetched');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

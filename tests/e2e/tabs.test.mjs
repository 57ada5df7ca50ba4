// Two tabs on one library: when another tab opens a newer version of the
// database, this tab stops between two batches, lets go (the other tab is
// not blocked) and says to reload; what it stored stays consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, serve, browser } from './harness.mjs';

/** Opens the library at `version` in `page` (a newer app's first step);
 *  resolves to whether it was blocked first, and the stores' counts. */
function openNewer(page, version) {
  return page.evaluate((v) => new Promise((resolve, reject) => {
    let blocked = false;
    const request = indexedDB.open('corpuscope', v);
    request.onblocked = () => { blocked = true; };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['corpora', 'documents']);
      const corpora = tx.objectStore('corpora').getAll();
      const docs = tx.objectStore('documents').count();
      tx.oncomplete = () => {
        db.close();
        resolve({ blocked, corpora: corpora.result, documents: docs.result });
      };
    };
  }), version);
}

test('a newer version opened in another tab stops this one cleanly and is not blocked', async () => {
  const server = await serve();
  const b = await browser();
  try {
    const { page, context } = b;
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=demo-button]');
    await page.click('[data-testid=demo-button]');
    await page.waitForSelector('[data-testid=progress] progress[value]', { timeout: 60_000 });
    await page.waitForFunction(() => {
      const n = document.querySelector('[data-testid=progress-documents]');
      return n && Number(n.textContent.replaceAll(',', '')) >= 1000;
    }, null, { timeout: 60_000 });

    const other = await context.newPage();
    // A same-origin page that is not the app (the stylesheet).
    await other.goto(await page.evaluate(() => document.querySelector('link[rel=stylesheet]').href));
    const seen = await openNewer(other, 4);
    assert.equal(seen.blocked, false, 'the newer tab opened without waiting');
    await page.waitForSelector('text=A newer Corpuscope opened in another tab', { timeout: 30_000 });
    await page.screenshot({ path: join(OUT, 'tabs-upgraded.png') });

    // What was stored is consistent: the record counts exactly the stored documents.
    const after = await openNewer(other, 4);
    assert.equal(after.corpora.length, 1);
    assert.equal(after.corpora[0].documents, after.documents);
    assert.ok(after.documents > 0 && after.documents < 6604, `${after.documents} documents stored`);

    // An action in the old page now says to reload, instead of failing obscurely.
    await page.click('[data-testid=demo-button]');
    await page.waitForSelector('text=Reload this page to go on');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

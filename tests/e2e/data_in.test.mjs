// Getting data in, as a person does it: several files at once, a broken file
// beside good ones, a URL, a dropped tokenizer, progress, cancel, reload in
// the middle and resume, delete. Every corpus must stay consistent: its
// record counts exactly what IndexedDB holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  ROOT, OUT, serve, browser, confirmColumns, dropFiles, dropGenerated, oracleCounts, stored, text, number,
} from './harness.mjs';

const FIXTURE = join(ROOT, 'tests', 'e2e', 'fixtures', 'slice.jsonl');
const GPT2 = join(ROOT, 'assets', 'tokenizers', 'gpt2-bytelevel-bpe', 'tokenizer.json');
const BERT = join(ROOT, 'assets', 'tokenizers', 'bert-wordpiece-all-minilm-l6-v2', 'tokenizer.json');

/** Every stored corpus's record agrees with what is stored under its id. */
function assertConsistent(corpora) {
  for (const c of corpora) {
    assert.equal(c.documents, c.record.documents, `documents of ${c.record.name}`);
    assert.equal(c.maxSeq, c.documents - 1, `document keys of ${c.record.name} are contiguous`);
    assert.equal(c.problems, c.record.problems, `problems of ${c.record.name}`);
  }
}

async function withApp(fn) {
  const server = await serve();
  const b = await browser();
  try {
    await b.page.goto(server.url);
    await b.page.waitForSelector('[data-testid=library]');
    await fn(b.page, server);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
}

test('several files dropped at once, one of them broken, make one corpus; the rejected rows download as CSV', async () => {
  const good = oracleCounts(GPT2, FIXTURE);
  await withApp(async (page) => {
    const broken = Buffer.from('{"text": "fine line"}\nnot json at all\n\u0000\u0001\u0002 binary junk\n{"text": 3}\n{"text": "last"}\n');
    await dropFiles(page, '[data-testid=drop-zone]', [
      { name: 'one.jsonl', path: FIXTURE },
      { name: 'broken.jsonl', bytes: broken },
      { name: 'three.jsonl', path: FIXTURE },
    ]);
    await page.waitForSelector('[data-testid=loaded]', { timeout: 60_000 });
    assert.equal(number(await text(page, '[data-testid=loaded-documents]')), 2 * good.documents + 2);
    assert.match(await text(page, '[data-testid=loaded]'), /one\.jsonl and 2 more/);
    const rejected = 2 * good.rejected_lines.length + 3;
    assert.match(await text(page, '[data-testid=problems] summary'), new RegExp(`^${rejected} records`));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=corpus-problems]'),
    ]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'file,line,reason');
    assert.equal(csv.length, 1 + rejected);
    for (const line of [2, 3, 4]) assert.ok(csv.some((row) => row.startsWith(`broken.jsonl,${line},`)), `broken.jsonl:${line}`);
    await page.screenshot({ path: join(OUT, 'data-in-several-files.png'), fullPage: true });
    assertConsistent(await stored(page));
  });
});

test('a URL loads through the URL box; a bad link is refused in words', async () => {
  const good = oracleCounts(GPT2, FIXTURE);
  await withApp(async (page, server) => {
    await page.fill('[data-testid=url-input]', 'javascript:alert(1)');
    await page.click('[data-testid=url-load]');
    assert.match(await text(page, '[data-testid=error]'), /not an http\(s\) URL/);

    // A link shows its columns first, like a dropped file.
    await page.fill('[data-testid=url-input]', `${server.url}fixtures/slice.jsonl`);
    await page.click('[data-testid=url-load]');
    await page.waitForSelector('[data-testid=mapping]', { timeout: 30_000 });
    assert.match(await page.textContent('[data-testid=text-field] option[value=""]'), /detected \(text\)/);
    await confirmColumns(page);
    await page.waitForSelector('[data-testid=loaded]', { timeout: 60_000 });
    assert.equal(number(await text(page, '[data-testid=loaded-tokens]')), good.tokens);
  });
});

test('a dropped tokenizer.json is checked, kept, selected and used; a fake one is refused', async () => {
  const bert = oracleCounts(BERT, FIXTURE);
  await withApp(async (page) => {
    await dropFiles(page, '[data-testid=drop-zone]', [{ name: 'fake-tokenizer.json', bytes: Buffer.from('{"not": "a tokenizer"}') }]);
    await page.waitForSelector('[data-testid=error]');
    assert.match(await text(page, '[data-testid=error]'), /fake-tokenizer\.json.*not a usable tokenizer\.json/);

    await dropFiles(page, '[data-testid=drop-zone]', [{ name: 'my-bert-tokenizer.json', path: BERT }]);
    await page.waitForSelector('[data-testid=note]');
    assert.equal(await page.inputValue('[data-testid=tokenizer-select]'), 'my-bert-tokenizer.json');
    await dropFiles(page, '[data-testid=drop-zone]', [{ name: 'slice.jsonl', path: FIXTURE }]);
    await page.waitForSelector('[data-testid=loaded]', { timeout: 60_000 });
    assert.equal(number(await text(page, '[data-testid=loaded-tokens]')), bert.tokens);

    // Kept across a reload, still offered.
    await page.reload();
    await page.waitForSelector('[data-testid=corpus-row]');
    const options = await page.$$eval('[data-testid=tokenizer-select] option', (os) => os.map((o) => o.value));
    assert.ok(options.includes('my-bert-tokenizer.json'));
  });
});

test('progress is shown while loading and Cancel stops with a consistent, resumable corpus', async () => {
  await withApp(async (page) => {
    await dropGenerated(page, '[data-testid=drop-zone]', { name: 'big.jsonl', count: 120_000 });
    await page.waitForFunction(() => {
      const n = document.querySelector('[data-testid=progress-documents]');
      return n && Number(n.textContent.replaceAll(',', '')) > 0;
    }, null, { timeout: 60_000 });
    assert.match(await text(page, '[data-testid=progress-bytes]'), / of /);
    assert.match(await text(page, '[data-testid=progress-rate]'), /documents\/s/);
    await page.screenshot({ path: join(OUT, 'data-in-progress.png'), fullPage: true });
    await page.click('[data-testid=cancel]');
    await page.waitForSelector('[data-testid=cancelled]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=corpus-state]');
    assert.equal(await text(page, '[data-testid=corpus-state]'), 'cancelled');
    const [c] = await stored(page);
    assert.equal(c.record.state, 'Cancelled');
    assert.ok(c.documents > 0 && c.documents < 120_000, `stored ${c.documents}`);
    assertConsistent([c]);
    await page.screenshot({ path: join(OUT, 'data-in-cancelled.png'), fullPage: true });
  });
});

test('a reload in the middle leaves an interrupted corpus that resumes to exactly the whole file, or is deleted', async () => {
  await withApp(async (page) => {
    const count = 60_000;
    await dropGenerated(page, '[data-testid=drop-zone]', { name: 'big.jsonl', count });
    await page.waitForFunction(() => {
      const n = document.querySelector('[data-testid=progress-documents]');
      return n && Number(n.textContent.replaceAll(',', '')) > 3000;
    }, null, { timeout: 60_000 });
    await page.reload();
    await page.waitForSelector('[data-testid=corpus-state]');
    assert.equal(await text(page, '[data-testid=corpus-state]'), 'interrupted');
    const [before] = await stored(page);
    assert.equal(before.record.state, 'Loading');
    assertConsistent([before]);

    // Resume with the same file: the stored part is skipped, the rest loads.
    const file = await page.evaluate((count) => {
      const vocab = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');
      const parts = [];
      for (let i = 0; i < count; i++) {
        const w = [];
        for (let j = 0; j < 60; j++) w.push(vocab[(i * 7 + j * 13 + ((i * j) % 5)) % vocab.length]);
        parts.push(JSON.stringify({ id: i, source: 'gen', text: `doc ${i}: ${w.join(' ')}` }) + '\n');
      }
      return parts.join('');
    }, count);
    await page.setInputFiles('[data-testid=resume-input]', { name: 'big.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(file) });
    await page.waitForSelector('[data-testid=loaded]', { timeout: 120_000 });
    const [after] = await stored(page);
    assert.equal(after.record.state, 'Complete');
    assert.equal(after.documents, count);
    assertConsistent([after]);
    await page.screenshot({ path: join(OUT, 'data-in-resumed.png'), fullPage: true });

    await page.click('[data-testid=delete-corpus]');
    await page.waitForSelector('[data-testid=library-empty]');
    assert.deepEqual(await stored(page), []);
  });
});

test('the column mapping shows the first records and a chosen text and source field are used', async () => {
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    await page.goto(server.url);
    const langs = ['en', 'fr', 'de'];
    const lines = [];
    for (let i = 0; i < 30; i++) {
      lines.push(JSON.stringify({
        id: i,
        title: `Title number ${i}`,
        body: `The body of record ${i} is much longer than its title, so it is the detected text.`,
        meta: { lang: langs[i % 3] },
      }));
    }
    await dropFiles(page, '[data-testid=drop-zone]',
      [{ name: 'records.jsonl', bytes: Buffer.from(lines.join('\n') + '\n') }], { confirm: false });
    await page.waitForSelector('[data-testid=mapping]');
    const header = await page.locator('[data-testid=mapping-records] th').allTextContents();
    assert.ok(header.includes('title') && header.includes('body'), header.join(','));
    assert.match(await text(page, '[data-testid=mapping-document]'), /The body of record 0/);

    await page.selectOption('[data-testid=text-field]', 'title');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=mapping-document]')?.textContent.includes('Title number 0'));
    await page.selectOption('[data-testid=source-field]', 'meta.lang');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=mapping-document] .badge')?.textContent === 'en');
    await page.screenshot({ path: join(OUT, 'mapping-override.png'), fullPage: true });

    await page.click('[data-testid=start-load]');
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 60_000 });
    const names = await page.locator('[data-testid=source-name]').allTextContents();
    assert.deepEqual(names, ['de', 'en', 'fr', 'all sources']);
    const docs = await page.locator('[data-testid=source-documents]').allTextContents();
    assert.equal(number(docs.at(-1)), 30);
    // "Title number N" is 4 GPT-2 tokens or so; the body would be far more.
    const tokens = await page.locator('[data-testid=source-tokens]').allTextContents();
    assert.ok(number(tokens.at(-1)) < 30 * 8, `tokens ${tokens.at(-1)}`);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('a picked folder loads its data files (CSV and JSONL, in subfolders) and skips the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpuscope-folder-'));
  const root = join(dir, 'corpus');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'a.jsonl'), '{"text": "first document", "source": "web"}\n{"text": "second one", "source": "web"}\n');
  writeFileSync(join(root, 'sub', 'b.csv'), 'text,source\n"a CSV row, with a comma",csv\n"another row",csv\n"third",csv\n');
  writeFileSync(join(root, '.hidden.jsonl'), '{"text": "never read"}\n');
  writeFileSync(join(root, 'notes.md'), '# not data\n');
  try {
    await withApp(async (page) => {
      await page.setInputFiles('[data-testid=folder-input]', root);
      await page.click('[data-testid=start-load]', { timeout: 30_000 });
      await page.waitForSelector('[data-testid=dashboard]', { timeout: 60_000 });
      const files = await page.locator('[data-testid=file-row] td:first-child').allTextContents();
      assert.deepEqual(files.sort(), ['corpus/a.jsonl', 'corpus/sub/b.csv']);
      const names = await page.locator('[data-testid=source-name]').allTextContents();
      assert.deepEqual(names, ['csv', 'web', 'all sources']);
      const docs = await page.locator('[data-testid=source-documents]').allTextContents();
      assert.equal(number(docs.at(-1)), 5);
      await page.screenshot({ path: join(OUT, 'data-in-folder.png'), fullPage: true });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder dragged onto the page loads its data files, walked through the entries API', async () => {
  await withApp(async (page) => {
    // Chromium gives a synthetic DataTransfer no folder entries, so the drop
    // carries stand-ins shaped like the File and Directory Entries API: a
    // folder listed in two readEntries batches, a subfolder, a hidden file,
    // a non-data file, and a plain file dropped beside the folder.
    await page.evaluate(() => {
      const file = (path, text) => ({
        isFile: true, isDirectory: false, fullPath: path,
        file: (ok) => ok(new File([text], path.split('/').pop())),
      });
      const folder = (path, batches) => ({
        isFile: false, isDirectory: true, fullPath: path,
        createReader: () => { let i = 0; return { readEntries: (ok) => ok(batches[i++] ?? []) }; },
      });
      const sub = folder('/corpus/sub', [[file('/corpus/sub/b.csv', 'text,source\n"a CSV row, with a comma",csv\n"another row",csv\n"third",csv\n')]]);
      const root = folder('/corpus', [
        [file('/corpus/a.jsonl', '{"text": "first document", "source": "web"}\n{"text": "second one", "source": "web"}\n'), file('/corpus/.hidden.jsonl', '{"text": "never read"}\n')],
        [sub, file('/corpus/notes.md', '# not data\n')],
      ]);
      const loose = file('/c.jsonl', '{"text": "beside the folder", "source": "loose"}\n');
      const items = [root, loose].map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry }));
      const drop = new Event('drop', { bubbles: true, cancelable: true });
      Object.defineProperty(drop, 'dataTransfer', { value: { items, files: [], types: ['Files'] } });
      document.querySelector('[data-testid=drop-zone]').dispatchEvent(drop);
    });
    await page.click('[data-testid=start-load]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 60_000 });
    const files = await page.locator('[data-testid=file-row] td:first-child').allTextContents();
    assert.deepEqual(files, ['corpus/a.jsonl', 'corpus/sub/b.csv', 'c.jsonl']);
    const names = await page.locator('[data-testid=source-name]').allTextContents();
    assert.deepEqual(names, ['csv', 'loose', 'web', 'all sources']);
    const docs = await page.locator('[data-testid=source-documents]').allTextContents();
    assert.equal(number(docs.at(-1)), 6);
    await page.screenshot({ path: join(OUT, 'data-in-folder-drop.png'), fullPage: true });
  });
});

test('a full storage quota stops loading with a clear message and leaves the stored corpus consistent', async () => {
  await withApp(async (page, server) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin, quotaSize: 2_000_000 });
    await dropGenerated(page, '[data-testid=drop-zone]', { name: 'big.jsonl', count: 60_000 });
    await page.waitForSelector('[data-testid=error]', { timeout: 120_000 });
    const message = await text(page, '[data-testid=error]');
    console.log(`quota message: ${message}`);
    assert.match(message, /quota/i);
    await page.screenshot({ path: join(OUT, 'data-in-quota.png'), fullPage: true });
    const corpora = await stored(page);
    assert.equal(corpora.length, 1);
    const [c] = corpora;
    assert.notEqual(c.record.state, 'Complete');
    assert.ok(c.documents < 60_000, `stored ${c.documents}`);
    assertConsistent(corpora);
  });
});

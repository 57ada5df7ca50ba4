// The bad-input suite's file-level cases in the browser: dropped together
// with a good file, each bad file yields a clear problem naming the file and
// the place, and nothing else is lost. (The engine suite,
// crates/core/tests/it/bad_input.rs, checks every case natively.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ROOT, OUT, serve, browser, dropFiles, oracleCounts, stored, text, number } from './harness.mjs';

const FIXTURE = join(ROOT, 'tests', 'e2e', 'fixtures', 'slice.jsonl');
const GPT2 = join(ROOT, 'assets', 'tokenizers', 'gpt2-bytelevel-bpe', 'tokenizer.json');
const PARQUET = join(ROOT, 'tests', 'fixtures', 'parquet', 'numbers.parquet');

function utf16le(s) {
  const body = Buffer.from(s, 'utf16le');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), body]);
}

test('bad files beside a good one: each named with its place, the good one whole', async () => {
  const good = oracleCounts(GPT2, FIXTURE);
  const gz = gzipSync(Buffer.from(Array.from({ length: 400 }, (_, i) => JSON.stringify({ text: `record ${i} ${'x'.repeat(40)}` })).join('\n') + '\n'));
  const files = [
    { name: 'good.jsonl', path: FIXTURE },
    { name: 'truncated.jsonl.gz', bytes: gz.subarray(0, Math.floor(gz.length / 2)) },
    { name: 'bad-utf8.jsonl', bytes: Buffer.concat([Buffer.from('{"text": "ok one"}\n{"text": "bad '), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('"}\n')]) },
    { name: 'utf16.jsonl', bytes: utf16le('{"text": "from UTF-16, é"}\n{"text": "second"}\n') },
    { name: 'ragged.csv', bytes: Buffer.from('text,source\nfine,a\ntoo,many,fields\nshort\nlast,b\n') },
    { name: 'not-objects.jsonl', bytes: Buffer.from('[1, 2]\n"a string"\n{"text": "an object"}\n') },
    { name: 'nested.jsonl', bytes: Buffer.from(`${'['.repeat(200)}${']'.repeat(200)}\n{"text": "after"}\n`) },
    { name: 'zero.jsonl', bytes: Buffer.alloc(0) },
    { name: 'numbers.parquet', path: PARQUET },
    { name: 'image.jsonl', bytes: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]) },
  ];
  const server = await serve();
  const b = await browser();
  try {
    const { page } = b;
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=library]');
    await dropFiles(page, '[data-testid=drop-zone]', files);
    await page.waitForSelector('[data-testid=loaded]', { timeout: 120_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=corpus-problems]')]);
    const rows = readFileSync(await download.path(), 'utf8').trim().split('\n').slice(1);
    const problem = (file, line, pattern) => {
      const found = rows.filter((r) => r.startsWith(`${file},${line},`));
      assert.ok(found.some((r) => pattern.test(r)), `${file}:${line} ${pattern} in\n${rows.join('\n')}`);
    };
    problem('truncated.jsonl.gz', 0, /gzip stream ends early/);
    problem('bad-utf8.jsonl', 0, /invalid UTF-8 sequences? (was|were) replaced by U\+FFFD; the first is on line 2/);
    problem('ragged.csv', 3, /expected 2 fields, found 3/);
    problem('ragged.csv', 4, /expected 2 fields, found 1/);
    problem('not-objects.jsonl', 1, /expected a JSON object, found an array/);
    problem('not-objects.jsonl', 2, /expected a JSON object, found a string/);
    problem('nested.jsonl', 1, /recursion limit exceeded/);
    problem('zero.jsonl', 0, /the file is empty/);
    problem('numbers.parquet', 0, /no text column/);
    problem('image.jsonl', 0, /looks like a PNG image/);
    assert.equal(rows.filter((r) => r.startsWith('utf16.jsonl,')).length, 0, 'UTF-16 with a BOM loads without a problem');

    // Nothing else was lost: the good file whole, and every good record of the bad ones.
    const loaded = number(await text(page, '[data-testid=loaded-documents]'));
    const fromBad = 1 /* bad-utf8 ok one */ + 1 /* bad-utf8 replaced */ + 2 /* utf16 */ + 2 /* ragged */ + 1 /* not-objects */ + 1 /* nested */;
    const truncated = loaded - good.documents - fromBad;
    assert.ok(truncated > 0 && truncated < 400, `${truncated} records of the truncated gzip loaded`);
    const corpora = await stored(page);
    assert.equal(corpora.length, 1);
    assert.equal(corpora[0].documents, loaded);
    assert.equal(corpora[0].problems, corpora[0].record.problems);
    await page.screenshot({ path: join(OUT, 'bad-input.png'), fullPage: true });

    // A 50 MB tokenizer.json that is not one is refused in words.
    const transfer = await page.evaluateHandle(() => {
      const parts = ['{"vocab": ['];
      for (let i = 0; i < 6_500_000; i++) parts.push(`${i},`);
      parts.push('0]}');
      const dt = new DataTransfer();
      dt.items.add(new File(parts, 'tokenizer.json'));
      return dt;
    });
    assert.ok(await page.evaluate((dt) => dt.files[0].size, transfer) > 50e6);
    for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('[data-testid=drop-zone]', type, { dataTransfer: transfer });
    assert.match(await text(page, '[data-testid=error]'), /tokenizer\.json.*not a (usable|valid) tokenizer\.json.*no "model" field/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

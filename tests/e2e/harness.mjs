// Shared pieces of the end-to-end tests: a static server for the release
// build, Debian's Chromium driven by playwright-core, and a file drop.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const DIST = process.env.CORPUSCOPE_DIST ?? join(ROOT, 'dist');
export const OUT = join(ROOT, 'target', 'e2e');
export const FIXTURES = join(ROOT, 'tests', 'e2e', 'fixtures');
mkdirSync(OUT, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.jsonl': 'application/jsonl',
};

/** Serves `dir` on 127.0.0.1 at a free port, under the sub-path `base`. */
export async function serve(dir = DIST, base = '/') {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(base)) {
      res.writeHead(404).end();
      return;
    }
    const rest = path.slice(base.length);
    // Test fixtures are served beside the app, for the URL box.
    const root = rest.startsWith('fixtures/') ? FIXTURES : dir;
    let file = normalize(join(root, rest.startsWith('fixtures/') ? rest.slice('fixtures/'.length) : rest));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}${base}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/** Debian's Chromium, headless, with a fresh profile that `close` removes. */
export async function browser() {
  const profile = mkdtempSync(join(tmpdir(), 'corpuscope-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  // Every page reports what its Content-Security-Policy blocked as an error.
  await context.addInitScript(() => {
    addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().startsWith('CSP violation')) errors.push(m.text());
  });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Clicks "Load" in the column mapping panel, as a person accepting the
 *  detected columns would. */
export async function confirmColumns(page) {
  await page.click('[data-testid=start-load]', { timeout: 30_000 });
}

/** Drops files on `selector` as a person dragging them from the desktop would;
 *  unless `confirm` is false, accepts the detected columns of data files. */
export async function dropFiles(page, selector, files, { confirm = true } = {}) {
  const payload = files.map((f) => ({
    name: f.name,
    base64: (f.bytes ?? readFileSync(f.path)).toString('base64'),
  }));
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const raw = atob(f.base64);
      const bytes = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      dt.items.add(new File([bytes], f.name));
    }
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(selector, type, { dataTransfer: transfer });
  }
  if (confirm && files.some((f) => !f.name.endsWith('tokenizer.json'))) await confirmColumns(page);
}

/** The Python `tokenizers` package's counts for a JSONL file (the oracle). */
export function oracleCounts(tokenizer, file) {
  const python = process.env.ORACLE_PYTHON ?? join(ROOT, '.cache', 'venv', 'bin', 'python');
  const script = join(ROOT, 'tests', 'oracle', 'expected_counts.py');
  return JSON.parse(execFileSync(python, [script, tokenizer, file], { encoding: 'utf8' }));
}

/** Text of the element matching `selector`, trimmed. */
export async function text(page, selector) {
  return (await page.textContent(selector))?.trim();
}

/** `1,234` → 1234. */
export const number = (s) => Number(String(s).replaceAll(',', ''));

/** Drops a JSONL file generated inside the page: `count` documents from
 *  `source`, each about `words` words long. Returns nothing; the file never
 *  crosses from Node, so it can be large. */
export async function dropGenerated(page, selector, { name, count, words = 60, source = 'gen' }, { confirm = true } = {}) {
  const transfer = await page.evaluateHandle(({ name, count, words, source }) => {
    const vocab = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');
    const parts = [];
    for (let i = 0; i < count; i++) {
      const w = [];
      for (let j = 0; j < words; j++) w.push(vocab[(i * 7 + j * 13 + ((i * j) % 5)) % vocab.length]);
      parts.push(JSON.stringify({ id: i, source, text: `doc ${i}: ${w.join(' ')}` }) + '\n');
    }
    const dt = new DataTransfer();
    dt.items.add(new File(parts, name));
    return dt;
  }, { name, count, words, source });
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(selector, type, { dataTransfer: transfer });
  }
  if (confirm) await confirmColumns(page);
}

/** What IndexedDB holds for each corpus: its record and how many documents
 *  and problems are really stored under its id. */
export async function stored(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open('corpuscope');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const ask = (req) => new Promise((ok, fail) => { req.onsuccess = () => ok(req.result); req.onerror = () => fail(req.error); });
    const tx = db.transaction(['corpora', 'documents', 'problems'], 'readonly');
    const corpora = await ask(tx.objectStore('corpora').getAll());
    const out = [];
    for (const c of corpora) {
      const range = IDBKeyRange.bound([c.id, 0], [c.id, Infinity]);
      const seqs = (await ask(tx.objectStore('documents').getAllKeys(range))).map((k) => k[1]);
      const problems = await ask(tx.objectStore('problems').count(range));
      out.push({ record: c, documents: seqs.length, maxSeq: seqs.length ? Math.max(...seqs) : -1, problems });
    }
    db.close();
    return out;
  });
}

/** The CLI's report on `files` (default settings, or `args` such as
 *  `['--bands', '28']`), built by `make test-e2e`. */
export function cliReport(files, args = []) {
  const cli = process.env.CORPUSCOPE_CLI ?? join(ROOT, 'target', 'debug', 'corpuscope');
  const out = join(OUT, `cli-report-${process.pid}.json`);
  execFileSync(cli, ['scan', ...files, ...args, '--report', out], { encoding: 'utf8' });
  return JSON.parse(readFileSync(out, 'utf8'));
}

/**
 * Differences between two JSON values: paths whose values differ. Numbers that
 * are not integers may differ by `relative` (wasm's and glibc's log2 can
 * round differently); `exactFloats` counts the floats compared bit for bit.
 */
export function jsonDiff(a, b, relative = 1e-12, path = '$', out = { diffs: [], floats: 0, exactFloats: 0 }) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) {
      if (a !== b) out.diffs.push(`${path}: ${a} != ${b}`);
    } else {
      out.floats += 1;
      if (a === b) out.exactFloats += 1;
      else if (Math.abs(a - b) > relative * Math.max(Math.abs(a), Math.abs(b))) {
        out.diffs.push(`${path}: ${a} != ${b}`);
      }
    }
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.diffs.push(`${path}: length ${a.length} != ${b.length}`);
    else a.forEach((x, i) => jsonDiff(x, b[i], relative, `${path}[${i}]`, out));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) jsonDiff(a[k], b[k], relative, `${path}.${k}`, out);
  } else if (a !== b) {
    out.diffs.push(`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
  }
  return out;
}

/** Serves the app, opens it in a fresh browser, clicks "Load the demo
 *  corpus", then runs `fn(page, b, server)`; closes both afterwards. */
export async function withDemo(fn) {
  const server = await serve();
  const b = await browser();
  try {
    await b.page.goto(server.url);
    await b.page.click('[data-testid=demo-button]');
    await fn(b.page, b, server);
  } finally {
    await b.close();
    await server.close();
  }
}

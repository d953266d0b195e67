// Drives the page of `synfin explore` in the system Chromium (never a downloaded one) and
// checks what a person would look at. Run by tests/browser.rs:
//
//   node explore.mjs URL SCREENSHOT_DIR MODE
//
// URL is the `open http://...` address that `synfin explore --counterexample ...` printed;
// MODE is `counterexample` (the no-time-wait counterexample of resets-justified) or `lasso`
// (the fin-never-retransmitted lasso of close-leads-to-closed). Exit status 0 when every check
// passes, 1 with a `FAIL: ...` line otherwise (and a screenshot of the page as it was).
import { chromium } from 'playwright-core';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(2)} s`;

const [url, shotDir, mode] = process.argv.slice(2);
if (!url || !shotDir || !['counterexample', 'lasso'].includes(mode)) {
  console.error('usage: node explore.mjs URL SCREENSHOT_DIR counterexample|lasso');
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
// A failure picture from an earlier run would be mistaken for this one's.
rmSync(join(shotDir, `explorer-${mode}-failure.png`), { force: true });

class Failure extends Error {}
function check(ok, msg) {
  if (!ok) throw new Failure(msg);
}

// Never hang a test run: a page that never gets ready fails through playwright's own timeouts;
// this is the last resort.
setTimeout(() => {
  console.error(`FAIL: ${mode}: no verdict after 120 s`);
  process.exit(1);
}, 120_000).unref();

const FORBIDDEN = ['ActorModelState', 'random_choices', 'timers_set'];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // Playwright adds its own fresh --user-data-dir (a temporary profile) and removes it on close.
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const context = await browser.newContext({
  viewport: { width: 1400, height: 1000 },
  deviceScaleFactor: 1,
});
const page = await context.newPage();
page.setDefaultTimeout(15_000);
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
// The page has no favicon: the browser's own request for /favicon.ico is not the page's error.
page.on('response', (r) => {
  if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) pageErrors.push(`HTTP ${r.status()} for ${r.url()}`);
});
page.on('console', (m) => {
  if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`);
});

/** Waits until the page shows step `step` of the path, rendered. */
async function waitForStep(step) {
  await page.waitForFunction(
    (n) =>
      document.body.dataset.ready === 'true' &&
      document.querySelector('#path li.selected')?.dataset.step === String(n),
    step,
  );
}

async function stateText() {
  return page.locator('#state').innerText();
}

function checkNoDebugDump(text, where) {
  for (const f of FORBIDDEN) {
    check(!text.includes(f), `${where}: the state panel shows the Rust debug dump ('${f}'):\n${text}`);
  }
}

/** Says (without failing) when a panel's content is wider than its box: hidden behind a scrollbar. */
async function warnIfClipped(selector) {
  const [scroll, client] = await page
    .locator(selector)
    .evaluate((e) => [e.scrollWidth, e.clientWidth]);
  if (scroll > client) {
    console.log(`warning: ${selector} is ${scroll} px wide in a ${client} px box: its right part is hidden behind a scrollbar`);
  }
}

async function verdict(name) {
  const li = page.locator(`#properties li[data-name="${name}"]`);
  check((await li.count()) === 1, `no single #properties entry for ${name}`);
  return li.getAttribute('data-verdict');
}

async function counterexample() {
  const items = page.locator('#path li');
  const n = await items.count();
  check(n === 12, `expected 12 steps in #path (step 0 and 11 actions), found ${n}`);
  const selected = await page.locator('#path li.selected').getAttribute('data-step');
  check(selected === String(n - 1), `the selected step is ${selected}, not the last one (${n - 1})`);
  check(selected === '11', `the selected step is ${selected}, expected 11`);

  const labels = await page.locator('#path li > a').allInnerTexts();
  for (const want of ['A: OPEN (active)', 'A: 2MSL timeout']) {
    check(labels.includes(want), `the path has no action '${want}'; its actions:\n  ${labels.join('\n  ')}`);
  }

  const last = items.nth(n - 1);
  const lastClass = (await last.getAttribute('class')) || '';
  check(lastClass.split(/\s+/).includes('violates'), `the last step is not marked violates (class '${lastClass}')`);
  const marks = (await last.getAttribute('data-violates')) || '';
  check(marks.split(', ').includes('resets-justified'), `the last step's data-violates is '${marks}', not resets-justified`);
  const earlier = await page.locator('#path li.violates').count();
  check(earlier === 1, `${earlier} steps are marked violates; only the last one should be`);
  check(
    (await page.locator('#properties li[data-verdict="violated"][data-name="resets-justified"]').count()) === 1,
    'at the last step #properties does not show resets-justified as violated',
  );

  const found = page.locator('#found');
  check(await found.isVisible(), 'the #found banner is hidden');
  const foundText = await found.innerText();
  check(/Counterexample for always resets-justified: 11 steps/.test(foundText), `the #found banner says '${foundText}'`);
  const link = await page.locator('#found-link').getAttribute('href');
  check(url.endsWith(link), `#found-link goes to '${link}', not to the URL's fragment`);
  check((await page.locator('#choices li').count()) > 0, 'no next action choices at the last step');

  const last11 = await stateText();
  checkNoDebugDump(last11, 'step 11');
  check(/^A\s+CLOSED/m.test(last11) && /^B\s+CLOSED/m.test(last11), `at step 11 both hosts should be CLOSED:\n${last11}`);
  const title11 = await page.locator('#step-title').textContent();
  check(title11 === 'State after step 11', `the state title is '${title11}'`);

  const svg = page.locator('#diagram svg');
  check((await svg.count()) === 1, 'no sequence diagram (#diagram svg)');
  const svgText = await svg.textContent();
  check(svgText.includes('TIME-WAIT'), `the sequence diagram does not mention TIME-WAIT: ${svgText.slice(0, 400)}`);

  await warnIfClipped('#diagram');
  await warnIfClipped('#state');

  // The pictures at the violating step.
  await page.screenshot({ path: join(shotDir, 'explorer-counterexample.png'), fullPage: true });
  const props = await page.locator('#properties').boundingBox();
  const state = await page.locator('#state').boundingBox();
  // The state panel and the properties under it, in one picture.
  const top = Math.min(props.y, state.y) - 8;
  const bottom = Math.max(props.y + props.height, state.y + state.height) + 8;
  await page.screenshot({
    path: join(shotDir, 'explorer-state.png'),
    fullPage: true,
    clip: {
      x: Math.min(props.x, state.x) - 8,
      y: top,
      width: Math.max(props.x + props.width, state.x + state.width) - Math.min(props.x, state.x) + 16,
      height: bottom - top,
    },
  });
  await page.locator('#diagram').screenshot({ path: join(shotDir, 'explorer-diagram.png') });

  // Back to the state after step 8 with the keyboard: A in TIME-WAIT, B in LAST-ACK, and
  // resets-justified still holds there.
  for (let s = 10; s >= 8; s--) {
    await page.keyboard.press('ArrowUp');
    await waitForStep(s);
  }
  const hash = await page.evaluate(() => window.location.hash);
  check(hash.endsWith('?offset=3'), `after three ArrowUp the hash is '${hash}', expected ?offset=3`);
  const at8 = await stateText();
  checkNoDebugDump(at8, 'step 8');
  check(/^A\s+TIME-WAIT/m.test(at8), `after step 8 A should be in TIME-WAIT:\n${at8}`);
  check(/^B\s+LAST-ACK/m.test(at8), `after step 8 B should be in LAST-ACK:\n${at8}`);
  const v8 = await verdict('resets-justified');
  check(v8 === 'holds', `after step 8 resets-justified is '${v8}', expected holds (it is violated only at step 11)`);
  check((await page.locator('#properties li[data-verdict="violated"]').count()) === 0, 'a property shows as violated after step 8');
  const title8 = await page.locator('#step-title').textContent();
  check(title8 === 'State after step 8', `the state title is '${title8}'`);

  // Every step by clicking its link in the path: no debug dump anywhere, CLOSED at the start
  // and the end.
  const seen = new Set();
  for (let s = 0; s < n; s++) {
    await page.locator(`#path li[data-step="${s}"] > a`).click();
    await waitForStep(s);
    const t = await stateText();
    checkNoDebugDump(t, `step ${s}`);
    for (const st of ['CLOSED', 'TIME-WAIT', 'LAST-ACK']) if (t.includes(st)) seen.add(st);
  }
  for (const st of ['CLOSED', 'TIME-WAIT', 'LAST-ACK']) check(seen.has(st), `no state panel along the path shows ${st}`);
  // ArrowDown past the end stays on the last step.
  await page.keyboard.press('ArrowDown');
  await waitForStep(n - 1);
  const v11 = await verdict('resets-justified');
  check(v11 === 'violated', `back at step 11 resets-justified is '${v11}'`);
}

async function lasso() {
  const cycle = new URL(url).hash.match(/[?&]cycle=(\d+)/);
  check(cycle, `the URL has no ?cycle=N: ${url}`);
  const c = Number(cycle[1]);
  const items = page.locator('#path li');
  const n = await items.count();
  check(n >= 2, `the lasso has ${n} steps`);
  const marked = await page.locator('#path li.cycle-start, #path li.stop').count();
  check(marked === 1, `expected one #path li.cycle-start or li.stop, found ${marked}`);
  if (c >= n - 1) {
    const stop = await page.locator('#path li.stop').getAttribute('data-step');
    check(stop === String(n - 1), `a lasso that stops (cycle=${c}, ${n - 1} steps) should mark its last step stop, not ${stop}`);
  } else {
    const start = await page.locator('#path li.cycle-start').getAttribute('data-step');
    check(start === String(c), `the cycle should start at step ${c}, the page marks ${start}`);
  }
  const selected = await page.locator('#path li.selected').getAttribute('data-step');
  check(selected === String(n - 1), `the selected step is ${selected}, not the last one (${n - 1})`);

  const entry = page.locator('#properties li.leads-to[data-name="close-leads-to-closed"]');
  check((await entry.count()) === 1, 'no leads-to entry for close-leads-to-closed in #properties');
  const text = await entry.innerText();
  check(text.includes('leads-to close-leads-to-closed'), `the close-leads-to-closed entry reads '${text}'`);
  const v = await entry.getAttribute('data-verdict');
  check(v.startsWith('pending for'), `in the lasso close-leads-to-closed should be pending, it is '${v}'`);

  const found = await page.locator('#found').innerText();
  check(found.includes('Lasso for leads-to close-leads-to-closed'), `the #found banner says '${found}'`);
  checkNoDebugDump(await stateText(), `step ${n - 1}`);
  check((await page.locator('#diagram svg').count()) === 1, 'no sequence diagram (#diagram svg)');

  await warnIfClipped('#diagram');
  await warnIfClipped('#state');
  await page.screenshot({ path: join(shotDir, 'explorer-lasso.png'), fullPage: true });
}

let failed = null;
try {
  const response = await page.goto(url);
  check(response && response.ok(), `GET ${url}: ${response && response.status()}`);
  await page.waitForSelector('body[data-ready="true"]');
  if (mode === 'counterexample') await counterexample();
  else await lasso();
  check(pageErrors.length === 0, `errors in the page:\n  ${pageErrors.join('\n  ')}`);
} catch (e) {
  failed = e instanceof Failure ? e.message : (e && e.stack) || String(e);
  try {
    await page.screenshot({ path: join(shotDir, `explorer-${mode}-failure.png`), fullPage: true });
  } catch {
    // The page is gone; the message says why.
  }
} finally {
  await browser.close();
}
if (failed) {
  console.error(`FAIL: ${mode}: ${failed}`);
  console.error(`(page screenshot: ${join(shotDir, `explorer-${mode}-failure.png`)}; ${elapsed()})`);
  process.exit(1);
}
console.log(`ok: ${mode}: every check passed in ${elapsed()} (screenshots in ${shotDir})`);

// synfin explorer: the page. Addresses are stateright's: #/steps/0/3/5 is the initial state 0,
// then action 3, then action 5; ?offset=N selects the step N before the last of that path;
// ?cycle=N marks where a lasso's cycle starts (after N actions).
'use strict';

const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

function parseHash() {
  const hash = window.location.hash || '#/steps/0';
  const [path, query] = hash.split('?');
  const parts = path.split('/').slice(2).filter((p) => p !== '');
  const params = new URLSearchParams(query || '');
  return {
    indices: parts.map((p) => parseInt(p, 10)),
    offset: parseInt(params.get('offset') || '0', 10),
    cycle: params.has('cycle') ? parseInt(params.get('cycle'), 10) : null,
  };
}

function href(indices, offset, cycle) {
  let h = '#/steps/' + indices.join('/');
  const q = [];
  if (offset) q.push('offset=' + offset);
  if (cycle !== null && cycle !== undefined) q.push('cycle=' + cycle);
  return q.length ? h + '?' + q.join('&') : h;
}

let current = null;
// Each render has a number; a render that finds a newer one started stops (a slow response
// must not overwrite a newer view).
let generation = 0;
let found = null;

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(await r.text());
  return r.json();
}

async function showStatus() {
  const s = await getJson('/.status');
  $('model').textContent = `${s.flags} · ${s.about} · ${s.setup}`;
  const c = s.counterexample;
  if (c) {
    const f = $('found');
    f.hidden = false;
    const kind = c.expectation === 'always' ? 'Counterexample'
      : c.expectation === 'sometimes' ? 'Example' : 'Lasso';
    f.className = c.expectation === 'sometimes' ? 'example' : '';
    f.textContent = '';
    found = c;
    let shape = '';
    if (c.cycle_start !== null) {
      shape = c.cycle_start >= c.steps
        ? ', then nothing more happens, forever'
        : `, then steps ${c.cycle_start + 1} to ${c.steps} repeat forever`;
    }
    f.append(`${kind} for ${c.expectation} ${c.property}: ${c.steps} steps${shape} — `);
    f.append(el('a', { href: c.fragment, id: 'found-link' }, 'open it'));
  }
}

async function render() {
  const h = parseHash();
  if (h.indices.length === 0) {
    window.location.hash = '#/steps/0';
    return;
  }
  const me = ++generation;
  document.body.dataset.ready = 'false';
  let view;
  try {
    const q = h.cycle !== null ? '?cycle=' + h.cycle : '';
    view = await getJson('/.path/' + h.indices.join('/') + q);
  } catch (e) {
    if (me !== generation) return;
    $('state').textContent = String(e.message || e);
    $('state').className = 'error';
    document.body.dataset.ready = 'true';
    return;
  }
  if (me !== generation) return;
  $('state').className = '';
  const steps = view.steps;
  const bad = (st) => new Set(st.properties.filter((p) => !p.ok).map((p) => p.name));
  const sel = Math.max(0, Math.min(steps.length - 1, steps.length - 1 - h.offset));
  current = { h, steps, sel };

  const path = $('path');
  path.textContent = '';
  // A violation is marked where it first appears: a property violated at a step and not
  // at the step before.
  steps.forEach((s, i) => {
    const before = i > 0 ? bad(steps[i - 1]) : new Set();
    const violated = [...bad(s)].filter((n) => !before.has(n));
    const li = el('li', { 'data-step': i });
    if (i === sel) li.classList.add('selected');
    if (violated.length) {
      li.classList.add('violates');
      li.dataset.violates = violated.join(', ');
    }
    if (h.cycle !== null && i === h.cycle && h.cycle < steps.length - 1) li.classList.add('cycle-start');
    if (h.cycle !== null && i === steps.length - 1 && h.cycle >= steps.length - 1) li.classList.add('stop');
    const a = el('a', { href: href(h.indices, steps.length - 1 - i, h.cycle) },
      s.action || 'initial state: both CLOSED');
    li.append(a);
    if (violated.length) li.append(el('span', { class: 'mark' }, ' ⚠ violates ' + violated.join(', ')));
    path.append(li);
  });

  const s = steps[sel];
  $('step-title').textContent = sel === 0 ? 'Initial state' : `State after step ${sel}`;
  $('outcome').textContent = s.outcome || '';
  $('state').textContent = s.state;

  const props = $('properties');
  props.textContent = '';
  const order = { violated: 0, reached: 1, holds: 2 };
  const rank = (p) => (found && p.name === found.property ? -1 : (order[p.verdict] ?? 3));
  const sorted = [...s.properties].sort((a, b) => rank(a) - rank(b));
  for (const p of sorted) {
    const icon = p.verdict === 'violated' ? '⚠ VIOLATED here:' :
      p.verdict === 'holds' ? '● holds:' : p.verdict === 'reached' ? '● reached here:' :
      p.expectation === 'leads-to' ? '→' : '·';
    const li = el('li', { 'data-verdict': p.verdict, 'data-name': p.name },
      `${icon} ${p.expectation} ${p.name}` + (p.expectation === 'leads-to' ? ` (${p.verdict})` : ''));
    if (p.expectation === 'leads-to') li.classList.add('leads-to');
    if (found && p.name === found.property) li.classList.add('headline');
    props.append(li);
  }

  $('diagram').innerHTML = view.svg;

  const choices = $('choices');
  choices.textContent = '';
  const prefix = h.indices.slice(0, sel + 1);
  let next = [];
  try {
    next = await getJson('/.states/' + prefix.join('/'));
  } catch (e) {
    if (me !== generation) return;
    choices.append(el('li', { class: 'error' }, String(e.message || e)));
  }
  if (me !== generation) return;
  if (h.cycle !== null && h.cycle >= steps.length - 1 && sel === steps.length - 1) {
    choices.append(el('li', { class: 'note' },
      'The lasso stops here: under the model\'s fairness a run may take none of these ' +
      '(everything in flight lost, no timer due).'));
  }
  for (const c of next) {
    const li = el('li', {});
    if (c.ignored) {
      li.classList.add('ignored');
      li.append(el('a', { title: 'changes nothing' }, c.action + ' (changes nothing)'));
    } else {
      const a = el('a', { href: href(prefix.concat([c.actionIndex]), 0, null), title: c.outcome }, c.action);
      const now = bad(s);
      const fresh = c.violates.filter((n) => !now.has(n));
      li.append(a);
      if (fresh.length) {
        li.classList.add('violates');
        li.dataset.violates = fresh.join(', ');
        li.append(el('span', { class: 'mark' }, ' ⚠ violates ' + fresh.join(', ')));
      }
    }
    choices.append(li);
  }
  document.body.dataset.ready = 'true';
}

document.addEventListener('keydown', (ev) => {
  if (!current) return;
  // The selection comes from the address, not from the last finished render: key presses
  // faster than the server still count.
  const h = parseHash();
  const steps = h.indices;
  const sel = Math.max(0, steps.length - 1 - h.offset);
  let to = null;
  if (ev.key === 'ArrowUp' || ev.key === 'k') to = Math.max(0, sel - 1);
  if (ev.key === 'ArrowDown' || ev.key === 'j') to = Math.min(steps.length - 1, sel + 1);
  if (to !== null) {
    window.location.hash = href(h.indices, steps.length - 1 - to, h.cycle);
    ev.preventDefault();
  }
});

window.addEventListener('hashchange', render);
showStatus()
  .catch((e) => { $('model').textContent = String(e); })
  .finally(render);

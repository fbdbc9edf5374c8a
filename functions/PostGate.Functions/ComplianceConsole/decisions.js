// The decision list: filters in the address, newest first, more pages as the user scrolls, a count, CSV export.
import { getBlob, getJson, segment } from './api.js';
import { badge, h, isoDay, replace, time } from './dom.js';
import { announce, isCompliance, problemView, session } from './shell.js';

export const FILTERS = ['accountId', 'from', 'to', 'verdict', 'rule', 'channel', 'author', 'campaign', 'reviewStatus'];
const VERDICTS = ['allow', 'coach', 'review', 'block'];
const CHANNELS = ['x', 'linkedin', 'facebook', 'instagram', 'threads', 'bluesky', 'mastodon', 'other'];
const REVIEW_STATES = ['pending', 'approved', 'rejected', 'expired', 'not-required'];
const PAGE_SIZE = 50;

/** The list endpoint's query for the filters in the address: whole UTC days, the "to" day included. */
export function apiQuery(params) {
  const query = {};
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (value) query[name] = value;
  }
  if (query.from) query.from = `${query.from}T00:00:00Z`;
  if (query.to) query.to = `${query.to}T23:59:59.999Z`;
  return query;
}

function field(id, label, control) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function select(id, name, value, options, anyLabel) {
  return h('select', { id, name },
    h('option', { value: '' }, anyLabel),
    options.map((o) => {
      const [optionValue, text] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: optionValue, selected: optionValue === value }, text);
    }));
}

function filterForm(params) {
  const value = (name) => params.get(name) ?? '';
  const rules = (session.policy?.rules ?? []).map((r) => [r.id, `${r.id} ${r.title}`]);
  const form = h('form', { class: 'filters card', id: 'filters', 'aria-label': 'Filters', onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const v = String(data.get(name) ?? '').trim();
      if (v) next.set(name, v);
    }
    location.hash = `#/decisions${next.size ? `?${next}` : ''}`;
  } },
  field('f-account', 'Account', h('input', { id: 'f-account', name: 'accountId', value: value('accountId'), placeholder: 'every account', spellcheck: 'false' })),
  field('f-from', 'From (UTC day)', h('input', { id: 'f-from', name: 'from', type: 'date', value: value('from') })),
  field('f-to', 'To (UTC day)', h('input', { id: 'f-to', name: 'to', type: 'date', value: value('to'), max: isoDay(new Date(Date.now() + 86400000 * 366)) })),
  field('f-verdict', 'Verdict', select('f-verdict', 'verdict', value('verdict'), VERDICTS, 'any verdict')),
  field('f-rule', 'Rule', select('f-rule', 'rule', value('rule'), rules, 'any rule')),
  field('f-channel', 'Channel', select('f-channel', 'channel', value('channel'), CHANNELS, 'any channel')),
  field('f-author', 'Author', h('input', { id: 'f-author', name: 'author', value: value('author'), spellcheck: 'false' })),
  field('f-campaign', 'Campaign', h('input', { id: 'f-campaign', name: 'campaign', value: value('campaign'), spellcheck: 'false' })),
  field('f-review', 'Review status', select('f-review', 'reviewStatus', value('reviewStatus'), REVIEW_STATES, 'any status')),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary', id: 'apply-filters' }, 'Apply filters'),
    h('a', { href: '#/decisions', class: 'button' }, 'Clear')));
  return form;
}

function excerpt(text, length = 90) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export function decisionHash(decision) {
  return `#/decisions/${segment(decision.accountId)}/${segment(decision.decisionId)}`;
}

function row(decision) {
  const status = decision.review?.status ?? (decision.verdict === 'review' ? 'pending' : 'not-required');
  const rules = [...new Set(decision.findings.map((f) => f.ruleId))];
  return h('tr', { dataset: { decisionId: decision.decisionId } },
    h('td', {}, h('a', { href: decisionHash(decision), class: 'open-decision' }, time(decision.decidedAt))),
    h('td', {}, decision.accountId),
    h('td', {}, time(decision.draft.scheduledAt)),
    h('td', {}, decision.draft.channel),
    h('td', {}, decision.draft.author ?? ''),
    h('td', {}, badge('verdict', decision.verdict)),
    h('td', {}, badge('review', status)),
    h('td', { class: 'rules' }, rules.join(' ')),
    h('td', { class: 'excerpt' }, excerpt(decision.draft.text)));
}

/** The filtered account's chain: intact, or where it breaks. */
async function verifyChain(container, accountId) {
  replace(container, h('span', { class: 'muted' }, `Verifying the chain of ${accountId}…`));
  try {
    const report = await getJson(`decisions/${segment(accountId)}/verify`);
    replace(container, report.intact
      ? h('span', { class: 'chain chain-ok' }, `Chain of ${accountId} intact: ${report.decisions} decisions verified`)
      : h('span', { class: 'chain chain-broken' }, `Chain of ${accountId} broken at #${report.firstBreak?.sequence}: ${report.firstBreak?.reason}`));
  } catch (error) {
    replace(container, problemView(error));
  }
}

function describe(query) {
  const parts = [];
  if (query.accountId) parts.push(`account ${query.accountId}`); else parts.push('every account');
  if (!query.from && !query.to) parts.push(query.accountId ? 'all time' : 'the last 7 days');
  return parts.join(', ');
}

/** Renders the list for the filters in the address. */
export async function renderDecisionList(main, params) {
  const query = apiQuery(params);
  sessionStorage.setItem('postgate.listHash', location.hash || '#/decisions');
  const count = h('p', { class: 'count', id: 'decision-count', 'aria-live': 'polite' }, 'Loading…');
  const body = h('tbody', {});
  const more = h('button', { type: 'button', id: 'load-more', hidden: true }, 'Load more');
  const problems = h('div', {});
  const exportButton = h('button', { type: 'button', id: 'export-csv' }, 'Export CSV');
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  const chain = h('p', { id: 'list-chain-status', class: 'chain-line' });
  replace(main,
    h('h1', {}, 'Decisions'),
    filterForm(params),
    h('div', { class: 'toolbar' }, count, exportButton),
    query.accountId ? chain : null,
    problems,
    h('table', { class: 'decisions', id: 'decision-table' },
      h('caption', { class: 'visually-hidden' }, 'Decisions, newest first'),
      h('thead', {}, h('tr', {}, ['Decided', 'Account', 'Scheduled', 'Channel', 'Author', 'Verdict', 'Review', 'Rules', 'Post'].map((c) => h('th', { scope: 'col' }, c)))),
      body),
    h('div', { class: 'more' }, more),
    sentinel);

  let token = null;
  let loaded = 0;
  let loading = false;
  let failed = false;
  const load = async () => {
    if (loading) return;
    loading = true;
    failed = false;
    more.disabled = true;
    try {
      const page = await getJson('decisions', { ...query, pageSize: PAGE_SIZE, continuationToken: token ?? undefined });
      if (!main.contains(body)) return;
      body.append(...page.items.map(row));
      loaded += page.items.length;
      token = page.continuationToken ?? null;
      more.hidden = !token;
      replace(count, token
        ? `${loaded} decisions shown (${describe(query)}); more match`
        : `${loaded} ${loaded === 1 ? 'decision matches' : 'decisions match'} (${describe(query)})`);
      if (!token) observer.disconnect();
    } catch (error) {
      replace(problems, problemView(error));
      replace(count, loaded ? `${loaded} decisions shown; the next page could not be read.` : 'The list could not be read.');
      failed = true;
    } finally {
      loading = false;
      more.disabled = false;
    }
    // NOTE: observing again reports the sentinel at once if it is still on screen, so a tall window keeps filling.
    if (token && !failed && main.contains(sentinel)) {
      observer.unobserve(sentinel);
      observer.observe(sentinel);
    }
  };
  const observer = new IntersectionObserver((entries) => {
    if (token && entries.some((e) => e.isIntersecting)) load();
  });
  more.addEventListener('click', load);
  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    try {
      const blob = await getBlob('decisions', { ...query, format: 'csv' }, 'text/csv');
      const link = h('a', { href: URL.createObjectURL(blob), download: `postgate-decisions-${isoDay(new Date())}.csv`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      announce('The CSV export was downloaded.');
    } catch (error) {
      replace(problems, problemView(error));
    } finally {
      exportButton.disabled = false;
    }
  });
  if (query.accountId && isCompliance()) verifyChain(chain, query.accountId);
  await load();
}

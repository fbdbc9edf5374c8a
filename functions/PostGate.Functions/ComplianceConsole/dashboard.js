// The dashboard: verdicts per day, the rules that fired most, conversation versus promotional share per account,
// and each account's chain. Every number comes from GET /api/decisions/stats, counted by the gate.
import { getJson, segment } from './api.js';
import { h, isoDay, percent, replace } from './dom.js';
import { dataTable, legend, rankedBars, shareLines, stackedBars } from './charts.js';
import { isCompliance, problemView } from './shell.js';

const VERDICT_SERIES = [
  { key: 'allow', label: 'allow', className: 'v-allow' },
  { key: 'coach', label: 'coach', className: 'v-coach' },
  { key: 'review', label: 'review', className: 'v-review' },
  { key: 'block', label: 'block', className: 'v-block' },
];
const AUTO_VERIFY = 25;

function rangeForm(params, from, to) {
  const form = h('form', { class: 'filters card', 'aria-label': 'Dashboard range', onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const name of ['from', 'to', 'accountId']) {
      const v = String(data.get(name) ?? '').trim();
      if (v) next.set(name, v);
    }
    location.hash = `#/dashboard?${next}`;
  } },
  h('div', { class: 'field' }, h('label', { for: 'd-from' }, 'From (UTC day)'), h('input', { id: 'd-from', name: 'from', type: 'date', value: from, required: true })),
  h('div', { class: 'field' }, h('label', { for: 'd-to' }, 'To (UTC day)'), h('input', { id: 'd-to', name: 'to', type: 'date', value: to, required: true })),
  h('div', { class: 'field' }, h('label', { for: 'd-account' }, 'Account'), h('input', { id: 'd-account', name: 'accountId', value: params.get('accountId') ?? '', placeholder: 'every account', spellcheck: 'false' })),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Show')));
  return form;
}

function listLink(text, filters) {
  return h('a', { href: `#/decisions?${new URLSearchParams(filters)}` }, text);
}

function verdictSection(stats, range) {
  const rows = stats.verdictsPerDay.map((d) => ({ day: d.day, values: d }));
  return h('section', { class: 'card', id: 'chart-verdicts', 'aria-labelledby': 'verdicts-heading' },
    h('h2', { id: 'verdicts-heading' }, 'Verdicts per day'),
    h('p', { class: 'muted' }, `${stats.decisions} decisions from ${range.from} to ${range.to} (UTC days of decision).`),
    legend(VERDICT_SERIES),
    stackedBars('Verdicts per day', rows, VERDICT_SERIES),
    dataTable('Verdicts per day', ['Day', 'allow', 'coach', 'review', 'block'],
      stats.verdictsPerDay.map((d) => [d.day, d.allow, d.coach, d.review, d.block])));
}

function rulesSection(stats, range) {
  const filters = (rule) => ({ rule, from: range.from, to: range.to, ...(stats.accountId ? { accountId: stats.accountId } : {}) });
  return h('section', { class: 'card', id: 'chart-rules', 'aria-labelledby': 'rules-heading' },
    h('h2', { id: 'rules-heading' }, 'Top rules fired'),
    stats.topRules.length === 0
      ? h('p', { class: 'muted' }, 'No rule fired in this range.')
      : [
        rankedBars('Decisions per rule', stats.topRules.map((r) => ({ label: `${r.ruleId} ${r.title}`, title: r.rule, value: r.decisions }))),
        h('ol', { class: 'rule-links' }, stats.topRules.map((r) => h('li', {},
          listLink(`${r.ruleId} ${r.title}`, filters(r.ruleId)), ` ${r.decisions} ${r.decisions === 1 ? 'decision' : 'decisions'}`))),
      ]);
}

function sharesSection(stats) {
  const section = h('section', { class: 'card', id: 'chart-shares', 'aria-labelledby': 'shares-heading' },
    h('h2', { id: 'shares-heading' }, 'Conversation and promotional share'));
  const posting = stats.accounts.filter((a) => a.posts > 0);
  if (posting.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No posts are scheduled in this range.'));
    return section;
  }
  const days = stats.verdictsPerDay.map((d) => d.day);
  const chartArea = h('div', {});
  const picker = h('select', { id: 'share-account' }, posting.map((a) => h('option', { value: a.accountId }, `${a.accountId} (${a.posts} posts)`)));
  const draw = () => {
    const account = posting.find((a) => a.accountId === picker.value) ?? posting[0];
    const byDay = new Map(account.days.map((d) => [d.day, d]));
    const series = [
      { label: 'conversation share', className: 's-conversation', values: days.map((d) => byDay.get(d)?.conversationShare ?? null) },
      { label: 'promotional share', className: 's-promotional', values: days.map((d) => byDay.get(d)?.promotionalShare ?? null) },
    ];
    replace(chartArea,
      legend(series),
      shareLines(`Conversation and promotional share per day for ${account.accountId}`, days, series),
      dataTable(`Shares for ${account.accountId}`, ['Day', 'Posts', 'Replies', 'Promotional', 'Conversation share', 'Promotional share'],
        account.days.map((d) => [d.day, d.posts, d.replies, d.promotional, percent(d.conversationShare), percent(d.promotionalShare)])));
  };
  picker.addEventListener('change', draw);
  section.append(
    h('p', { class: 'muted' }, 'Per day of schedule: replies to customers, and posts promotional enough to count towards the promotional-share rule, over all posts.'),
    h('div', { class: 'field inline' }, h('label', { for: 'share-account' }, 'Account'), picker),
    chartArea,
    h('table', { class: 'accounts' },
      h('caption', {}, 'Every account with a decision or a post in the range'),
      h('thead', {}, h('tr', {}, ['Account', 'Decisions', 'Posts scheduled', 'Conversation share', 'Promotional share'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, stats.accounts.map((a) => h('tr', {},
        h('td', {}, listLink(a.accountId, { accountId: a.accountId })),
        h('td', {}, String(a.decisions)),
        h('td', {}, String(a.posts)),
        h('td', {}, a.posts ? percent(a.replies / a.posts) : '–'),
        h('td', {}, a.posts ? percent(a.promotional / a.posts) : '–'))))));
  draw();
  return section;
}

function chainsSection(accounts) {
  const rows = new Map();
  const verify = async (accountId) => {
    const cell = rows.get(accountId);
    replace(cell, h('span', { class: 'muted' }, 'verifying…'));
    try {
      const report = await getJson(`decisions/${segment(accountId)}/verify`);
      replace(cell, report.intact
        ? h('span', { class: 'chain chain-ok' }, `intact (${report.decisions} decisions)`)
        : h('span', { class: 'chain chain-broken' }, `broken at #${report.firstBreak?.sequence}: ${report.firstBreak?.reason}`));
    } catch (error) {
      replace(cell, problemView(error));
    }
  };
  const body = h('tbody', {}, accounts.map((accountId) => {
    const cell = h('td', { class: 'chain-cell', dataset: { accountId } }, h('span', { class: 'muted' }, 'not verified'));
    rows.set(accountId, cell);
    return h('tr', {}, h('th', { scope: 'row' }, accountId), cell,
      h('td', {}, h('button', { type: 'button', onclick: () => verify(accountId), 'aria-label': `Verify the chain of ${accountId}` }, 'Verify')));
  }));
  const section = h('section', { class: 'card', id: 'chains', 'aria-labelledby': 'chains-heading' },
    h('h2', { id: 'chains-heading' }, 'Chain verification'),
    h('p', { class: 'muted' }, 'Each account\'s decisions form a hash chain; verifying walks it from the first decision and names the first broken link.'),
    accounts.length === 0 ? h('p', { class: 'muted' }, 'No accounts in this range.') : h('table', { class: 'chains' },
      h('thead', {}, h('tr', {}, ['Account', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)))), body));
  return { section, verifyFirst: async () => { for (const a of accounts.slice(0, AUTO_VERIFY)) await verify(a); } };
}

/** Renders the dashboard for the range in the address (default: the last 30 days). */
export async function renderDashboard(main, params) {
  const today = new Date();
  const from = params.get('from') ?? isoDay(new Date(today.getTime() - 29 * 86400000));
  const to = params.get('to') ?? isoDay(today);
  const content = h('div', { id: 'dashboard' }, h('p', { class: 'muted' }, 'Counting…'));
  replace(main, h('h1', {}, 'Dashboard'), rangeForm(params, from, to), content);
  if (!isCompliance()) {
    replace(content, h('p', { class: 'alert' }, 'The dashboard spans every account; it is for compliance.'));
    return;
  }
  try {
    const stats = await getJson('decisions/stats', { from: `${from}T00:00:00Z`, to: `${to}T23:59:59.999Z`, accountId: params.get('accountId') ?? undefined });
    const accounts = [...new Set([...(stats.accountId ? [stats.accountId] : []), ...stats.accounts.map((a) => a.accountId)])];
    const chains = chainsSection(accounts);
    replace(content,
      h('div', { class: 'dashboard-grid' }, verdictSection(stats, { from, to }), rulesSection(stats, { from, to })),
      sharesSection(stats),
      chains.section);
    await chains.verifyFirst();
  } catch (error) {
    replace(content, problemView(error));
  }
}

// One decision: the post with every finding's span marked in place, the findings beside it, the cadence context,
// the account's chain, the review history and the review form.
import { getJson, postJson, segment } from './api.js';
import { badge, h, replace, time } from './dom.js';
import { announce, isCompliance, problemView } from './shell.js';
import { decisionHash } from './decisions.js';

const SEVERITY_RANK = { info: 0, coach: 1, review: 2, block: 3 };

/** Splits the text at every span edge; each piece is a text node, and the pieces inside spans are marks. */
export function highlight(text, findings) {
  const spans = [];
  findings.forEach((finding, index) => {
    for (const span of finding.spans ?? []) {
      const start = Math.max(0, Math.min(text.length, span.start));
      const end = Math.max(start, Math.min(text.length, span.start + span.length));
      if (end > start) spans.push({ start, end, index, severity: finding.severity, ruleId: finding.ruleId });
    }
  });
  const edges = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i < edges.length - 1; i++) {
    const [from, to] = [edges[i], edges[i + 1]];
    const piece = text.slice(from, to);
    const covering = spans.filter((s) => s.start <= from && s.end >= to);
    if (covering.length === 0) {
      pieces.push(document.createTextNode(piece));
      continue;
    }
    const worst = covering.reduce((a, b) => ((SEVERITY_RANK[b.severity] ?? 0) > (SEVERITY_RANK[a.severity] ?? 0) ? b : a));
    const indices = [...new Set(covering.map((s) => s.index))];
    pieces.push(h('mark', {
      class: ['hl', `sev-${worst.severity}`],
      title: [...new Set(covering.map((s) => s.ruleId))].join(', '),
      dataset: { findings: indices.join(' '), start: String(from), end: String(to) },
    }, piece));
  }
  return pieces;
}

function findingItem(finding, index, marks) {
  const show = () => {
    for (const mark of marks()) {
      const on = mark.dataset.findings.split(' ').includes(String(index));
      mark.classList.toggle('active', on);
    }
    marks().find((m) => m.classList.contains('active'))?.scrollIntoView({ block: 'nearest' });
  };
  return h('li', { class: ['finding', `sev-${finding.severity}`], dataset: { ruleId: finding.ruleId, index: String(index) } },
    h('div', { class: 'finding-head' },
      h('span', { class: 'rule-id' }, finding.ruleId),
      h('span', { class: 'rule-name' }, finding.rule),
      badge('severity', finding.severity),
      finding.mode && finding.mode !== 'enforce' ? badge('mode', finding.mode) : null),
    h('p', { class: 'message' }, finding.message),
    h('p', { class: 'coaching' }, h('strong', {}, 'Coaching: '), finding.coaching),
    finding.evidence?.length ? h('p', { class: 'evidence' }, 'Evidence: ', finding.evidence.join(' · ')) : null,
    finding.spans?.length ? h('button', { type: 'button', class: 'link-button', onclick: show }, `Show in the post (${finding.spans.length})`) : null);
}

function metaList(decision) {
  const draft = decision.draft;
  const row = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  return h('dl', { class: 'meta' },
    row('Account', decision.accountId),
    row('Channel', draft.channel),
    row('Scheduled', time(draft.scheduledAt)),
    row('Decided', time(decision.decidedAt)),
    draft.author ? row('Author', draft.author) : null,
    draft.campaign ? row('Campaign', draft.campaign) : null,
    draft.draftId ? row('Draft', draft.draftId) : null,
    row('Policy version', h('code', { title: decision.policyVersion, id: 'policy-version' }, decision.policyVersion.slice(0, 12))),
    draft.links?.length ? row('Attached links', draft.links.join(' ')) : null,
    draft.mediaCount ? row('Media', String(draft.mediaCount)) : null,
    row('Decision id', h('code', {}, decision.decisionId)));
}

function reviewState(decision) {
  return decision.review?.status ?? (decision.verdict === 'review' ? 'pending' : 'not-required');
}

function historyList(decision) {
  const history = decision.review?.history ?? [];
  if (history.length === 0) return h('p', { class: 'muted' }, 'No reviews yet.');
  return h('ol', { class: 'history' }, history.map((r) => h('li', {},
    h('div', {}, badge('action', r.action), ' by ', h('strong', {}, r.reviewer ?? 'unknown reviewer'), ', ', time(r.at)),
    h('p', { class: 'reason' }, r.reason))));
}

async function timelineSection(container, decision) {
  const cadence = decision.findings.filter((f) => f.ruleId.startsWith('PG3'));
  if (cadence.length === 0) return;
  const at = new Date(decision.draft.scheduledAt);
  const from = new Date(at.getTime() - 7 * 86400000).toISOString();
  const to = new Date(at.getTime() + 86400000).toISOString();
  container.hidden = false;
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading the account\'s posts…'));
  replace(container,
    h('h2', { id: 'timeline-heading' }, 'Timeline context'),
    h('p', {}, `The account's posts scheduled from 7 days before to 1 day after this one, as the cadence rules (${[...new Set(cadence.map((f) => f.ruleId))].join(', ')}) counted them.`),
    body);
  try {
    const timeline = await getJson(`decisions/${segment(decision.accountId)}/timeline`, { from, to });
    replace(body, h('table', { class: 'timeline', id: 'timeline-table' },
      h('thead', {}, h('tr', {}, ['Scheduled', 'Channel', 'Kind', 'Links', 'Hard-sell score', 'Promotional', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, timeline.entries.map((e) => {
        const self = e.decisionId === decision.decisionId;
        return h('tr', { class: self ? 'self' : null },
          h('td', {}, time(e.scheduledAt)),
          h('td', {}, e.channel),
          h('td', {}, e.kind),
          h('td', {}, String(e.linkCount)),
          h('td', {}, String(e.hardSellScore)),
          h('td', {}, e.promotional ? 'yes' : 'no'),
          h('td', {}, self ? h('strong', {}, 'this post') : h('a', { href: decisionHash({ accountId: decision.accountId, decisionId: e.decisionId }) }, 'open')));
      }))));
  } catch (error) {
    replace(body, problemView(error));
  }
}

async function chainSection(container, accountId) {
  if (!isCompliance()) return;
  replace(container, h('span', { class: 'muted' }, 'Verifying the account\'s chain…'));
  try {
    const report = await getJson(`decisions/${segment(accountId)}/verify`);
    replace(container, report.intact
      ? h('span', { class: 'chain chain-ok' }, `Chain intact: ${report.decisions} decisions verified`)
      : h('span', { class: 'chain chain-broken' }, `Chain broken at #${report.firstBreak?.sequence}: ${report.firstBreak?.reason}`));
  } catch (error) {
    replace(container, problemView(error));
  }
}

function reviewForm(decision, onReviewed) {
  const pending = reviewState(decision) === 'pending';
  const reason = h('textarea', { id: 'review-reason', name: 'reason', required: true, maxlength: 2000, rows: 3 });
  const choice = (value, label, checked) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'action', value, checked, required: true }), ` ${label}`);
  const error = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-review' }, 'Submit review');
  const form = h('form', { class: 'review-form', id: 'review-form', onsubmit: async (event) => {
    event.preventDefault();
    const action = new FormData(form).get('action');
    const text = reason.value.trim();
    if (!text) {
      replace(error, h('p', { class: 'alert', role: 'alert' }, 'A reason is required.'));
      reason.focus();
      return;
    }
    submit.disabled = true;
    try {
      await postJson(`decisions/${segment(decision.accountId)}/${segment(decision.decisionId)}/reviews`, { action, reason: text });
      replace(error);
      await onReviewed(action);
    } catch (problem) {
      replace(error, problemView(problem));
      submit.disabled = false;
    }
  } },
  h('fieldset', {},
    h('legend', {}, 'Action'),
    pending ? choice('approve', 'Approve', false) : null,
    pending ? choice('reject', 'Reject', false) : null,
    choice('comment', 'Comment', !pending)),
  h('label', { for: 'review-reason' }, 'Reason (required)'),
  reason,
  h('div', { class: 'actions' }, submit),
  error);
  return form;
}

/** Renders the decision and keeps its review part current after a review. */
export async function renderDecision(main, accountId, decisionId) {
  replace(main, h('p', { class: 'muted' }, 'Loading the decision…'));
  let decision;
  try {
    decision = await getJson(`decisions/${segment(accountId)}/${segment(decisionId)}`);
  } catch (error) {
    replace(main, h('p', {}, h('a', { href: '#/decisions' }, '← Decisions')), problemView(error));
    return;
  }

  const text = h('p', { class: 'post-text', id: 'post-text' }, highlight(decision.draft.text, decision.findings));
  const marks = () => [...text.querySelectorAll('mark.hl')];
  const status = h('span', { id: 'review-status' });
  const history = h('div', { id: 'review-history' });
  const formArea = h('div', {});
  const chain = h('p', { id: 'chain-status', class: 'chain-line' });
  const timeline = h('section', { id: 'timeline', class: 'card', hidden: true });

  const showReview = () => {
    replace(status, badge('review', reviewState(decision)));
    replace(history, historyList(decision));
    replace(formArea, isCompliance() ? reviewForm(decision, async (action) => {
      decision = await getJson(`decisions/${segment(accountId)}/${segment(decisionId)}`);
      showReview();
      const notified = decision.callbackUrl && action !== 'comment' ? ' The scheduler is notified.' : '';
      announce(`Review recorded: ${reviewState(decision)}.${notified}`);
    }) : h('p', { class: 'muted' }, 'Only compliance reviews decisions.'));
  };
  showReview();

  replace(main,
    h('p', {}, h('a', { href: sessionStorage.getItem('postgate.listHash') ?? '#/decisions', id: 'back-to-list' }, '← Decisions')),
    h('div', { class: 'decision-head' },
      h('h1', {}, `Decision for ${decision.accountId}`),
      badge('verdict', decision.verdict),
      status),
    chain,
    h('div', { class: 'decision-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'post-heading' },
        h('h2', { id: 'post-heading' }, 'Post'),
        decision.draft.inReplyToText ? h('blockquote', { class: 'in-reply-to' }, h('span', { class: 'muted' }, 'In reply to: '), decision.draft.inReplyToText) : null,
        text,
        decision.summary?.length ? h('div', {}, h('h3', {}, 'Summary'), h('ul', { class: 'summary' }, decision.summary.map((s) => h('li', {}, s)))) : null,
        metaList(decision)),
      h('section', { class: 'card', 'aria-labelledby': 'findings-heading' },
        h('h2', { id: 'findings-heading' }, `Findings (${decision.findings.length})`),
        decision.findings.length
          ? h('ol', { class: 'findings', id: 'findings' }, decision.findings.map((f, i) => findingItem(f, i, marks)))
          : h('p', { class: 'muted' }, 'No findings: the post was allowed as written.'),
        decision.shadowFindings?.length
          ? h('details', {}, h('summary', {}, `Shadow findings (${decision.shadowFindings.length}), not part of the verdict`),
            h('ol', { class: 'findings' }, decision.shadowFindings.map((f) => findingItem({ ...f, spans: [] }, -1, () => []))))
          : null)),
    timeline,
    h('section', { class: 'card', 'aria-labelledby': 'review-heading' },
      h('h2', { id: 'review-heading' }, 'Review'),
      decision.callbackUrl ? h('p', { class: 'muted' }, 'The scheduler is notified of an approval or rejection.') : null,
      history,
      formArea));

  await Promise.all([chainSection(chain, decision.accountId), timelineSection(timeline, decision)]);
}

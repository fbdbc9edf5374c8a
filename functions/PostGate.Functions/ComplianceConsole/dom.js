// Builds elements from data. Text always goes in as text nodes, so nothing a post says can become markup.

/**
 * h('a', { href: '#x', class: 'link', onclick: fn }, 'text', child) → an element.
 * Attributes starting with "on" become listeners; null, undefined and false attributes are left out.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (all strings or numbers) and children. */
export function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', hour12: false,
});

/** "01 Dec 2026, 09:00 UTC" */
export function formatTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : `${dateTime.format(date)} UTC`;
}

/** A time element with the ISO value for machines and the readable one for people. */
export function time(value) {
  return h('time', { datetime: value }, formatTime(value));
}

/** yyyy-mm-dd of a Date in UTC. */
export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

export function percent(share) {
  return `${Math.round(share * 100)}%`;
}

/** A verdict or review state as a labelled badge. */
export function badge(kind, value) {
  return h('span', { class: ['badge', `${kind}-${value}`] }, value);
}

// Builds elements without innerHTML, so job data (prompts, errors) is always text.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function age(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function time(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function duration(seconds) {
  if (seconds === undefined || seconds === null) return '';
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function bytes(n) {
  if (!Number.isFinite(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export const ENDED = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELED']);

export function badge(status) {
  // the status as the API spells it (WAITING_FOR_SLOT), so that it reads as the filter and the docs name it
  return h('span', { class: `badge s-${status.toLowerCase()}` }, status);
}

/** Queue place and ETA, where the API gives them. */
export function queueInfo(job) {
  const parts = [];
  if (Number.isInteger(job.queuePosition)) parts.push(`#${job.queuePosition} in queue`);
  if (job.eta) parts.push(`ETA ${new Date(job.eta).toLocaleTimeString()}`);
  return parts.join(' · ');
}

/** The input's file name as the job records it (else its key's last part): what people read to tell jobs apart (the id stays beside it). */
export function fileName(job) {
  return job.input?.name || (job.input?.key ? job.input.key.split('/').pop() : '');
}

/** The prompt's first line, cut to `chars` with an ellipsis; '' without one. */
export function promptStart(job, chars) {
  const line = String(job.request?.prompt || '').trim().split('\n')[0];
  const points = [...line];
  return points.length > chars ? `${points.slice(0, chars - 1).join('').trim()}…` : line;
}

// Jobs: a live list, newest first, filtered by status, a page at a time.
import { api, schema } from './api.js';
import { h, age, badge, fileName, promptStart, queueInfo, time } from './dom.js';

const PAGE = 20;
const REFRESH_MS = 2000;

export async function jobsView(main, signal, params) {
  const { statuses } = await schema();
  const status = params.get('status') || '';
  const tokens = [null]; // the token of each page seen, to go back
  let page = 0;
  const filter = h('select', { id: 'status-filter', 'aria-label': 'Status' },
    h('option', { value: '' }, 'All statuses'), statuses.map((s) => h('option', { value: s, selected: s === status }, s)));
  const body = h('tbody', { id: 'jobs-body' });
  const newer = h('button', { type: 'button', id: 'newer', disabled: true }, '← Newer');
  const older = h('button', { type: 'button', id: 'older', disabled: true }, 'Older →');
  const state = h('p', { class: 'muted', 'aria-live': 'polite' });
  main.replaceChildren(
    h('div', { class: 'title-row' }, h('h1', {}, 'Jobs'), h('a', { class: 'button primary', href: '#/new' }, 'New job')),
    h('div', { class: 'row' }, h('label', { for: 'status-filter' }, 'Status'), filter),
    h('table', { class: 'jobs' },
      h('thead', {}, h('tr', {}, ['Job', 'Status', 'Progress', 'Queue', 'Age', 'Result'].map((c) => h('th', { scope: 'col' }, c)))), body),
    state, h('div', { class: 'row pager' }, newer, older));

  filter.addEventListener('change', () => {
    location.hash = filter.value ? `#/jobs?status=${encodeURIComponent(filter.value)}` : '#/jobs';
  });
  newer.addEventListener('click', () => { page--; load(); });
  older.addEventListener('click', () => { page++; load(); });

  let timer;
  async function load() {
    clearTimeout(timer);
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (status) query.set('status', status);
    if (tokens[page]) query.set('nextToken', tokens[page]);
    try {
      const answer = await api('GET', `/jobs?${query}`);
      if (signal.aborted) return;
      tokens[page + 1] = answer.nextToken || null;
      render(answer.jobs);
      state.textContent = answer.jobs.length ? '' : (status ? `No ${status} jobs.` : 'No jobs yet: start one.');
      newer.disabled = page === 0;
      older.disabled = !answer.nextToken;
    } catch (e) {
      state.textContent = `Could not list jobs: ${e.message}`;
    }
    if (!signal.aborted) timer = setTimeout(load, REFRESH_MS);
  }
  signal.addEventListener('abort', () => clearTimeout(timer));

  // one thumbnail per job, kept across refreshes: a new presigned URL each time would load it again
  const thumbnails = new Map();
  function thumbnail(job) {
    const outputs = job.outputs || [];
    const poster = outputs.find((o) => o.key?.endsWith('poster.jpg') && o.url);
    const video = outputs.find((o) => o.url && !o.key?.endsWith('.jpg'));
    if (!poster && !video) return '—';
    if (!thumbnails.has(job.jobId)) {
      // a finished job has a poster; a raw one only its video, from which a frame a little in is shown
      const picture = poster
        ? h('img', { class: 'thumb', src: poster.url, alt: `poster of ${job.jobId}`, decoding: 'async' })
        : h('video', { class: 'thumb', src: `${video.url}#t=0.5`, preload: 'metadata', muted: true, playsinline: true });
      thumbnails.set(job.jobId, h('a', { href: `#/jobs/${job.jobId}`, 'aria-label': `result of ${job.jobId}` }, picture));
    }
    return thumbnails.get(job.jobId);
  }

  function render(jobs) {
    body.replaceChildren(...jobs.map((job) => h('tr', { 'data-job': job.jobId },
      h('td', { 'data-label': 'Job' }, h('a', { href: `#/jobs/${job.jobId}` }, fileName(job) ? h('span', { class: 'file' }, fileName(job)) : null,
        promptStart(job, 60) ? h('span', { class: 'prompt' }, `“${promptStart(job, 60)}”`) : null,
        h('code', { class: 'id' }, job.jobId))),
      h('td', { 'data-label': 'Status' }, badge(job.status)),
      h('td', { 'data-label': 'Progress' }, h('progress', { max: 1, value: job.progress ?? 0, 'aria-label': 'progress' }),
        ` ${Math.round((job.progress ?? 0) * 100)}%`),
      h('td', { 'data-label': 'Queue' }, queueInfo(job) || '—'),
      h('td', { 'data-label': 'Age' }, h('time', { datetime: job.createdAt, title: time(job.createdAt) }, age(job.createdAt))),
      h('td', { 'data-label': 'Result' }, thumbnail(job)))));
  }
  await load();
}

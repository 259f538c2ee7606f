// One job: input and result side by side in sync, geometry, request, history, error, downloads, cancel.
import { api, ApiError } from './api.js';
import { h, age, badge, bytes, duration, queueInfo, time, ENDED } from './dom.js';
import { syncedPlayer } from './sync.js';

const REFRESH_MS = 1500;

function definitionList(entries) {
  return h('dl', { class: 'pairs' }, entries.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export async function jobView(main, signal, params, jobId) {
  const heading = h('h1', {}, 'Job ', h('code', {}, jobId));
  const summary = h('div', { class: 'summary', id: 'summary' });
  const cancel = h('button', { type: 'button', id: 'cancel', class: 'danger', hidden: true }, 'Cancel job');
  const notice = h('p', { id: 'notice', role: 'status', class: 'muted' });
  const stage = h('section', { class: 'card', id: 'videos' }, h('h2', {}, 'Input and result'));
  const geometry = h('section', { class: 'card', id: 'geometry' });
  const failure = h('section', { class: 'card failure', id: 'failure', hidden: true });
  const downloads = h('section', { class: 'card', id: 'downloads' });
  const request = h('section', { class: 'card', id: 'request' });
  const history = h('section', { class: 'card', id: 'history' });
  main.replaceChildren(h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')), h('div', { class: 'title-row' }, heading, cancel),
    summary, notice, failure, stage, h('div', { class: 'columns' }, geometry, downloads), h('div', { class: 'columns' }, request, history));

  let videosShown = false;
  let latest = null; // the job as last read, for listeners that fire later
  let timer;
  signal.addEventListener('abort', () => clearTimeout(timer));

  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      const answer = await api('POST', `/jobs/${jobId}/cancel`);
      notice.textContent = answer.note || 'Canceled.';
      await load();
    } catch (e) {
      notice.textContent = `Could not cancel: ${e.message}`;
      cancel.disabled = false;
    }
  });

  function showVideos(job) {
    if (videosShown || !job.input?.url) return;
    const output = (job.outputs || [])[0];
    const pending = stage.querySelector('#pending-pair');
    const video = (id, src, controls) => h('video', { id, src, preload: 'auto', muted: true, playsInline: true, controls });
    if (output?.url) {
      pending?.remove();
      const inVideo = video('input-video', job.input.url, false);
      const outVideo = video('result-video', output.url, false);
      stage.append(h('div', { class: 'pair' }, h('figure', {}, inVideo, h('figcaption', {}, 'Input')),
        h('figure', {}, outVideo, h('figcaption', {}, 'Result'))), syncedPlayer([outVideo, inVideo]));
      inVideo.addEventListener('loadedmetadata', () => renderGeometry(latest, inVideo));
      videosShown = true;
      return;
    }
    if (!pending) {
      // no result yet: the input plays on its own
      const inVideo = video('input-video', job.input.url, true);
      inVideo.addEventListener('loadedmetadata', () => renderGeometry(latest, inVideo));
      stage.append(h('div', { class: 'pair', id: 'pending-pair' }, h('figure', {}, inVideo, h('figcaption', {}, 'Input')),
        h('figure', { class: 'pending' }, h('div', { class: 'placeholder', id: 'result-placeholder' }), h('figcaption', {}, 'Result'))));
    }
    stage.querySelector('#result-placeholder').textContent = ENDED.has(job.status)
      ? `No result: the job ended ${job.status.replace('_', ' ')}` : 'The result appears here when the job succeeds';
  }

  function renderGeometry(job, inVideo) {
    const out = (job.outputs || [])[0];
    const inSize = inVideo && inVideo.videoWidth ? `${inVideo.videoWidth} × ${inVideo.videoHeight}` : '';
    geometry.replaceChildren(h('h2', {}, 'Geometry'), definitionList([
      ['Input', inSize ? `${inSize}${inVideo.duration ? ', ' + inVideo.duration.toFixed(2) + ' s' : ''}` : job.input?.key],
      ['Result', out ? `${out.width} × ${out.height}, ${out.durationSeconds?.toFixed?.(2) ?? '?'} s` : (ENDED.has(job.status) ? 'none' : 'not yet')],
      ['Expanded', ['Left', 'Right', 'Top', 'Bottom'].filter((s) => job.request?.[`expand${s}`] !== false).join(', ') || 'no side'],
      ['Ratio', job.request?.expandRatio],
      ['Resolution', job.request?.resolution],
      ['Aspect ratio', job.request?.aspectRatio],
    ]));
  }

  function render(job) {
    latest = job;
    summary.replaceChildren(...[badge(job.status),
      h('progress', { max: 1, value: job.progress ?? 0, 'aria-label': 'progress' }), ` ${Math.round((job.progress ?? 0) * 100)}%`,
      queueInfo(job) ? h('span', { class: 'queue' }, queueInfo(job)) : null,
      h('span', { class: 'muted' }, ' created ', h('time', { datetime: job.createdAt, title: time(job.createdAt) }, age(job.createdAt)),
        ENDED.has(job.status) ? ` · ended after ${duration((Date.parse(job.updatedAt) - Date.parse(job.createdAt)) / 1000)}` : '')]
      .filter(Boolean));
    cancel.hidden = ENDED.has(job.status);
    failure.hidden = !job.error;
    if (job.error) {
      failure.replaceChildren(h('h2', {}, 'Error'), definitionList([
        ['Code', h('code', {}, job.error.code)], ['Message', job.error.message], ['Scenario\'s hint', job.error.hint]]));
    }
    showVideos(job);
    if (!videosShown || !geometry.hasChildNodes()) renderGeometry(job, stage.querySelector('#input-video'));
    const links = [];
    if (job.input?.url) links.push(h('li', {}, h('a', { href: job.input.url, download: '' }, 'Input video'), ` ${job.input.key}`));
    for (const out of job.outputs || []) {
      links.push(h('li', {}, h('a', { href: out.url, download: '' }, 'Result video'), ` ${out.key} · ${bytes(out.bytes)}`,
        out.sha256 ? h('br') : null, out.sha256 ? h('small', { class: 'muted' }, `SHA-256 ${out.sha256}`) : null));
    }
    downloads.replaceChildren(h('h2', {}, 'Downloads'), links.length ? h('ul', { class: 'links' }, links) : h('p', { class: 'muted' }, 'Nothing yet.'));
    request.replaceChildren(h('h2', {}, 'Request'), definitionList(Object.entries(job.request || {})
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])));
    history.replaceChildren(h('h2', {}, 'History'), h('ol', { class: 'history' }, (job.history || []).map((step) =>
      h('li', {}, badge(step.status), ' ', h('time', { datetime: step.at }, time(step.at)),
        h('span', { class: 'elapsed' }, ` +${duration((Date.parse(step.at) - Date.parse(job.createdAt)) / 1000)}`),
        step.note ? h('span', { class: 'muted' }, ` ${step.note}`) : null))));
  }

  async function load() {
    clearTimeout(timer);
    try {
      const job = await api('GET', `/jobs/${encodeURIComponent(jobId)}`);
      if (signal.aborted) return;
      render(job);
      if (!ENDED.has(job.status)) timer = setTimeout(load, REFRESH_MS);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        main.replaceChildren(h('h1', {}, 'No such job'), h('p', {}, e.message), h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')));
        return;
      }
      notice.textContent = `Could not load the job: ${e.message}`;
      if (!signal.aborted) timer = setTimeout(load, REFRESH_MS * 2);
    }
  }
  await load();
}

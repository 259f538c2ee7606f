// One job: its steps, input and finished result side by side in sync, the finish and framing, request, history, error, downloads, cancel.
import { api, ApiError } from './api.js';
import { h, age, badge, bytes, duration, fileName, promptStart, queueInfo, time, ENDED } from './dom.js';
import { syncedPlayer } from './sync.js';
import { resultsOf, pairSizes, finishEntries, framingEntries, jobSteps } from './job-parts.js';

const REFRESH_MS = 1500;

function definitionList(entries) {
  return h('dl', { class: 'pairs' }, entries.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export async function jobView(main, signal, params, jobId) {
  const heading = h('h1', {}, 'Job ', h('code', {}, jobId));
  const subtitle = h('p', { class: 'subtitle', id: 'subtitle' });
  const summary = h('div', { class: 'summary', id: 'summary' });
  const steps = h('ol', { class: 'steps', id: 'steps', 'aria-label': 'Steps' });
  const segmentStrip = h('section', { class: 'card', id: 'segments', hidden: true });
  const cancel = h('button', { type: 'button', id: 'cancel', class: 'danger', hidden: true }, 'Cancel job');
  const notice = h('p', { id: 'notice', role: 'status', class: 'muted' });
  const stage = h('section', { class: 'card', id: 'videos' }, h('h2', {}, 'Input and result'));
  const finishCard = h('section', { class: 'card', id: 'finish', hidden: true });
  const geometry = h('section', { class: 'card', id: 'geometry' });
  const failure = h('section', { class: 'card failure', id: 'failure', hidden: true });
  const downloads = h('section', { class: 'card', id: 'downloads' });
  const request = h('section', { class: 'card', id: 'request' });
  const history = h('section', { class: 'card', id: 'history' });
  main.replaceChildren(h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')), h('div', { class: 'title-row' }, heading, cancel),
    subtitle, summary, steps, notice, failure, segmentStrip, stage, h('div', { class: 'columns' }, finishCard, geometry),
    h('div', { class: 'columns' }, downloads, request), history);

  let videosShown = false;
  let retriedHere = null; // the segment this page had generated again, until the clip ends again
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

  const video = (id, src, controls) => h('video', { id, src, preload: 'auto', muted: true, playsInline: true, controls });

  function showVideos(job) {
    if (videosShown || !job.input?.url) return;
    const { result, raw, finished } = resultsOf(job);
    const pending = stage.querySelector('#pending-pair');
    // a finishing job's first copy is its raw generation: the comparison waits for the job's end
    if (result?.url && ENDED.has(job.status)) {
      pending?.remove();
      const inVideo = video('input-video', job.input.url, false);
      const outVideo = video('result-video', result.url, false);
      const sizes = pairSizes(job);
      const pair = h('div', { class: 'pair', id: 'pair' },
        h('figure', {}, inVideo, h('figcaption', {}, 'Input')),
        h('figure', {}, outVideo, h('figcaption', {}, finished ? `Finished · ${job.finish.width} × ${job.finish.height}` : 'Result')));
      if (sizes) {
        // the two at one scale: the input as large as it sits in the finished frame, the tallest at most 62% of the window
        pair.style.gridTemplateColumns = `${sizes.input.width}fr ${sizes.output.width}fr`;
        pair.style.maxWidth = `calc(62vh * ${(sizes.input.width + sizes.output.width) / Math.max(sizes.input.height, sizes.output.height)} + 14px)`;
        inVideo.style.aspectRatio = `${sizes.input.width} / ${sizes.input.height}`;
        outVideo.style.aspectRatio = `${sizes.output.width} / ${sizes.output.height}`;
      }
      stage.firstChild.textContent = finished ? 'Input and finished result' : 'Input and result';
      const extra = raw?.url ? h('p', { class: 'raw-offer' }, 'Also: ',
        h('a', { id: 'raw-link', href: raw.url, download: '', type: 'video/mp4' }, 'the raw generation'),
        ` (${raw.key.split('/').pop()}${raw.width ? `, ${raw.width} × ${raw.height}` : ''}`
          + `${raw.durationSeconds ? `, ${raw.durationSeconds.toFixed(2)} s` : ''}), as the model made it before finishing.`) : null;
      stage.append(...[pair, syncedPlayer([outVideo, inVideo]), extra].filter(Boolean));
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
      ? `No result: the job ended ${job.status}`
      : (job.status === 'FINISHING' ? 'Finishing: the input\'s rate, length, sound and pixels are laid back…'
        : job.status === 'JOINING' ? 'Joining: each segment is finished, the overlaps cross-faded, the sound laid back…'
        : 'The result appears here when the job succeeds');
  }

  function renderGeometry(job, inVideo) {
    geometry.replaceChildren(h('h2', {}, 'Framing'), definitionList(framingEntries(job, inVideo)));
  }

  function renderFinish(job) {
    finishCard.hidden = !job.finish;
    if (job.finish) finishCard.replaceChildren(h('h2', {}, 'Finish'), definitionList(finishEntries(job.finish)));
  }

  function renderSteps(job) {
    steps.replaceChildren(...jobSteps(job).map((s) => h('li', {
      class: s.state, 'data-step': s.name.toLowerCase(), title: s.statuses.join(', '),
      'aria-current': s.state === 'current' ? 'step' : undefined,
    }, s.name, s.state === 'current' && !ENDED.has(job.status) ? h('span', { class: 'status' }, job.status) : null)));
  }

  /** Whether a segment of this long clip can be generated again: it succeeded, or a segment failed it. */
  const retryable = (job) => job.status === 'SUCCEEDED' || (job.status === 'FAILED' && job.error?.code === 'SEGMENT_FAILED');

  /** Segment n (from 1) generated again with a new seed; the clip is joined again when it succeeds. */
  async function retrySegment(n, button) {
    segmentStrip.querySelectorAll('button.retry-segment').forEach((b) => { b.disabled = true; });
    button.textContent = 'Starting…';
    try {
      const answer = await api('POST', `/jobs/${encodeURIComponent(jobId)}/segments/${n}/retry`);
      notice.textContent = `Segment ${n} is generated again with seed ${answer.retry.seed} (was ${answer.retry.previousSeed}); `
        + 'the clip is joined again when it succeeds, and its current video stays until then.';
      retriedHere = n;
      await load();
    } catch (e) {
      notice.textContent = `Could not generate segment ${n} again: ${e.message}`;
      segmentStrip.querySelectorAll('button.retry-segment').forEach((b) => { b.disabled = false; });
      button.textContent = 'Generate again';
    }
  }

  /** A long clip's segments, each a job of its own: its place in the clip, its status, a link to it, and once the clip has ended, a button to generate it again. */
  function renderSegments(job) {
    segmentStrip.hidden = !job.segments;
    if (!job.segments) return;
    const done = job.segments.items.filter((s) => s.status === 'SUCCEEDED').length;
    const canRetry = retryable(job);
    const retried = job.segments.retries?.length
      ? h('p', { class: 'muted', id: 'segment-retries' }, job.segments.retries.map((r) =>
        `segment ${r.segment} generated again ${time(r.at)}, seed ${r.previousSeed} → ${r.seed}`).join(' · ')) : null;
    segmentStrip.replaceChildren(...[h('h2', {}, `Segments · ${done} of ${job.segments.count} generated`),
      h('ol', { class: 'segment-strip' }, job.segments.items.map((s) => widthOf(s, h('li', {
        class: `segment s-${s.status.toLowerCase()}`, 'data-index': String(s.index),
        title: `frames ${s.firstFrame} to ${s.endFrame - 1}${s.attempt > 1 ? `, attempt ${s.attempt}` : ''}${s.seed !== undefined ? `, seed ${s.seed}` : ''}`,
      }, h('a', { href: `#/jobs/${encodeURIComponent(s.jobId)}` }, `${s.index + 1}`), ' ', badge(s.status),
      canRetry ? h('button', {
        type: 'button', class: 'retry-segment', 'data-segment': String(s.index + 1),
        title: `Generate segment ${s.index + 1} again with a new seed, then join the clip again`,
        onclick: (event) => retrySegment(s.index + 1, event.currentTarget),
      }, 'Generate again') : null)))), retried].filter(Boolean));
  }

  /** The cell as wide as the segment's share of the clip: set through the style object, as the page's policy allows no inline style. */
  function widthOf(segment, cell) {
    cell.style.flexGrow = String(Math.max(1, segment.endFrame - segment.firstFrame));
    return cell;
  }

  function render(job) {
    latest = job;
    renderSegments(job);
    const prompt = promptStart(job, 90);
    subtitle.replaceChildren(...[fileName(job) ? h('strong', { class: 'file' }, fileName(job)) : null,
      prompt ? h('span', { class: 'muted prompt' }, `${fileName(job) ? ' · ' : ''}“${prompt}”`) : null].filter(Boolean));
    summary.replaceChildren(...[badge(job.status),
      h('progress', { max: 1, value: job.progress ?? 0, 'aria-label': 'progress' }), ` ${Math.round((job.progress ?? 0) * 100)}%`,
      queueInfo(job) ? h('span', { class: 'queue' }, queueInfo(job)) : null,
      h('span', { class: 'muted' }, ' created ', h('time', { datetime: job.createdAt, title: time(job.createdAt) }, age(job.createdAt)),
        ENDED.has(job.status) ? ` · ended after ${duration((Date.parse(job.updatedAt) - Date.parse(job.createdAt)) / 1000)}` : '')]
      .filter(Boolean));
    renderSteps(job);
    cancel.hidden = ENDED.has(job.status);
    failure.hidden = !job.error;
    if (job.error) {
      failure.replaceChildren(h('h2', {}, 'Error'), definitionList([
        ['Code', h('code', {}, job.error.code)], ['Message', job.error.message], ['Scenario\'s hint', job.error.hint]]));
    }
    if (retriedHere && ENDED.has(job.status)) {
      // the clip ended again: its new result replaces the one shown (new URLs, so nothing old is played from cache)
      notice.textContent = job.status === 'SUCCEEDED'
        ? `Segment ${retriedHere} was generated again and the clip joined again: the result below is the new one.`
        : `Segment ${retriedHere} was generated again; the clip ended ${job.status}.`;
      retriedHere = null;
      videosShown = false;
      stage.replaceChildren(h('h2', {}, 'Input and result'));
    }
    showVideos(job);
    renderFinish(job);
    if (!videosShown || !geometry.hasChildNodes()) renderGeometry(job, stage.querySelector('#input-video'));
    const { finished, raw, poster } = resultsOf(job);
    const kind = (out) => (out === finished ? 'Finished video' : out === raw ? 'Raw generation' : out === poster ? 'Poster' : 'Result video');
    const links = [];
    if (job.input?.url) links.push(h('li', {}, h('a', { href: job.input.url, download: '' }, 'Input video'), ` ${job.input.key}`));
    for (const out of job.outputs || []) {
      links.push(h('li', {}, h('a', { href: out.url, download: '' }, kind(out)), ` ${out.key} · ${bytes(out.bytes)}`,
        out.sha256 ? h('br') : null, out.sha256 ? h('small', { class: 'muted' }, `SHA-256 ${out.sha256}`) : null));
    }
    downloads.replaceChildren(h('h2', {}, 'Downloads'), links.length ? h('ul', { class: 'links' }, links) : h('p', { class: 'muted' }, 'Nothing yet.'));
    request.replaceChildren(h('h2', {}, 'Request'), definitionList(Object.entries(job.request || {})
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v && typeof v === 'object' ? JSON.stringify(v) : String(v))])));
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

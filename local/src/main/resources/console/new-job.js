// New job: drop or choose a video, stage it through POST /uploads, see the cost (POST /estimate), start (POST /jobs).
import { api, putFile, schema } from './api.js';
import { h, bytes } from './dom.js';
import { modelForm } from './form.js';
import { reframeControls, describePlan } from './reframe.js';

const TYPES = { mp4: 'video/mp4', webm: 'video/webm' };

function videoType(file) {
  if (Object.values(TYPES).includes(file.type)) return file.type;
  const ext = file.name.split('.').pop().toLowerCase();
  return TYPES[ext] || null;
}

function safeName(file, type) {
  const base = file.name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 150) || 'video';
  return `${base}.${type === 'video/webm' ? 'webm' : 'mp4'}`;
}

export async function newJobView(main, signal) {
  const { modelInputs } = await schema();
  const input = h('input', { id: 'file', type: 'file', accept: 'video/mp4,video/webm,.mp4,.webm', class: 'visually-hidden' });
  const zoneText = h('span', {}, 'Drop an MP4 or WebM here, or ', h('u', {}, 'choose a file'));
  const zone = h('label', { class: 'drop', for: 'file', id: 'drop' }, zoneText);
  const preview = h('video', { class: 'preview', muted: true, playsInline: true, controls: true, hidden: true });
  const uploadState = h('p', { id: 'upload-state', class: 'muted', 'aria-live': 'polite' });
  const videoError = h('p', { class: 'error', id: 'e-video', role: 'alert', hidden: true });
  const fields = h('div', { class: 'fields' });
  const framing = h('div', { class: 'fields' });
  const rawFields = h('div', { class: 'raw-fields' });
  const estimate = h('output', { id: 'estimate', 'aria-live': 'polite' });
  const plan = h('p', { id: 'plan', class: 'plan', 'aria-live': 'polite' });
  const formError = h('p', { class: 'error', id: 'form-error', role: 'alert', hidden: true });
  const estimateButton = h('button', { type: 'button', id: 'estimate-button', disabled: true }, 'Estimate cost');
  const startButton = h('button', { type: 'submit', id: 'start-button', class: 'primary', disabled: true }, 'Start job');
  const form = h('form', { id: 'new-job', novalidate: true },
    h('section', { class: 'card' }, h('h2', {}, '1. Video'), input, zone, videoError, uploadState, preview),
    h('section', { class: 'card' }, h('h2', {}, '2. Shape'), framing),
    h('section', { class: 'card' }, h('h2', {}, '3. Model inputs'), fields),
    h('section', { class: 'card actions' }, h('h2', {}, '4. Cost and start'),
      h('div', { class: 'row' }, estimateButton, estimate), plan, formError, startButton));
  main.replaceChildren(h('h1', {}, 'New job'), form);
  const model = modelForm(fields, modelInputs, rawFields);
  const reframe = reframeControls(framing, rawFields, model);
  const request = () => reframe.request(model.values());
  preview.addEventListener('loadedmetadata', () => reframe.input(preview.videoWidth, preview.videoHeight));
  let staged = null; // { key, name } once the video is in the bucket

  function fail(where, message) {
    where.textContent = message;
    where.hidden = false;
  }

  function showApiError(e) {
    const rest = model.showErrors(reframe.showErrors(e.fields));
    const videoFields = rest.filter((f) => String(f.field).startsWith('video'));
    videoFields.forEach((f) => fail(videoError, f.message));
    const others = rest.filter((f) => !String(f.field).startsWith('video'));
    if (others.length || e.fields.length === 0) fail(formError, [e.message, ...others.map((f) => `${f.field}: ${f.message}`)].join('; '));
  }

  function clearErrors() {
    model.clearErrors();
    reframe.clearErrors();
    formError.hidden = true;
    videoError.hidden = true;
  }

  async function take(file) {
    clearErrors();
    staged = null;
    estimateButton.disabled = startButton.disabled = true;
    estimate.textContent = '';
    plan.textContent = '';
    const type = videoType(file);
    if (!type) return fail(videoError, `${file.name} is not an MP4 or WebM video`);
    zoneText.replaceChildren(`${file.name} (${bytes(file.size)}) · drop or choose another`);
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
    try {
      uploadState.textContent = 'Uploading…';
      const answer = await api('POST', '/uploads', { fileName: safeName(file, type), contentType: type });
      await putFile(answer.upload, file, (p) => { uploadState.textContent = `Uploading… ${Math.round(p * 100)}%`; });
      if (signal.aborted) return;
      // the name as the user knows it (the key takes fewer characters): what the lists show
      staged = { key: answer.key, name: [...file.name].length <= 200 && !/[\u0000-\u001f\u007f-\u009f]/.test(file.name) ? file.name : null };
      uploadState.textContent = `Uploaded: ${answer.key}`;
      estimateButton.disabled = startButton.disabled = false;
    } catch (e) {
      uploadState.textContent = '';
      fail(videoError, e.message);
    }
  }

  // an estimate holds for the inputs it was asked with
  const stale = () => {
    if (estimate.textContent) estimate.textContent = 'inputs changed: estimate again';
    plan.textContent = '';
  };
  fields.addEventListener('input', stale);
  framing.addEventListener('input', stale);
  framing.addEventListener('change', stale);
  input.addEventListener('change', () => input.files[0] && take(input.files[0]));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) take(file);
  });

  estimateButton.addEventListener('click', async () => {
    clearErrors();
    estimate.textContent = 'Asking Scenario…';
    estimateButton.disabled = true;
    try {
      const answer = await api('POST', '/estimate', { video: { key: staged.key }, request: request() });
      estimate.textContent = `${answer.creativeUnits} creative units`;
      estimate.title = answer.note || '';
      const segments = answer.segments?.count > 1 ? ` · generated in ${answer.segments.count} segments` : '';
      plan.textContent = describePlan(answer.framing) + segments;
    } catch (e) {
      estimate.textContent = '';
      plan.textContent = '';
      showApiError(e);
    } finally {
      estimateButton.disabled = false;
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!staged) return fail(videoError, 'choose a video first');
    clearErrors();
    startButton.disabled = true;
    try {
      const video = staged.name ? { key: staged.key, name: staged.name } : { key: staged.key };
      const job = await api('POST', '/jobs', { video, request: request() });
      location.hash = `#/jobs/${job.jobId}`;
    } catch (err) {
      showApiError(err);
      startButton.disabled = false;
    }
  });
}

// What the job page reads out of a job record: which output is which, the sizes to show them at, the
// finish and framing in words, and the steps the job has been through.
import { ENDED } from './dom.js';

const STEPS = [
  ['Waiting', ['QUEUED', 'WAITING_FOR_SLOT', 'WAITING_FOR_BUDGET', 'ADMITTED']],
  ['Submitting', ['UPLOADING', 'SPLITTING', 'SUBMITTING', 'SUBMITTED']],
  ['Generating', ['RUNNING', 'RENDERING_SEGMENTS']],
  ['Copying', ['COPYING']],
  ['Finishing', ['FINISHING', 'JOINING']],
  ['Done', ['SUCCEEDED']],
];

/** The finished video, the raw generation and the poster (by the finish section's keys), and the video to compare. */
export function resultsOf(job) {
  const outputs = job.outputs || [];
  const byKey = (key) => (key ? outputs.find((o) => o.key === key) : undefined);
  const finished = byKey(job.finish?.video);
  const raw = byKey(job.finish?.raw);
  const poster = byKey(job.finish?.poster) || outputs.find((o) => o.key?.endsWith('poster.jpg'));
  const result = finished || outputs.find((o) => o !== poster && !o.key?.endsWith('.jpg'));
  return { result, finished, raw, poster };
}

/**
 * The input and the finished video at one scale: the finished at its size, the input as large as it sits
 * in it (the source's rectangle, the whole video where the plan cropped it). None without a finish.
 */
export function pairSizes(job) {
  const f = job.finish;
  if (!f?.width || !f?.height || !f.source?.width) return null;
  const whole = job.framing?.input;
  const shown = job.framing?.crop || whole;
  const scale = shown?.width ? f.source.width / shown.width : 1;
  const input = whole?.width ? { width: whole.width * scale, height: whole.height * scale } : { width: f.source.width, height: f.source.height };
  return { input, output: { width: f.width, height: f.height } };
}

function gcd(a, b) { return b ? gcd(b, a % b) : a; }

/** "1080 × 1920 (9:16)". */
export function size(width, height) {
  const d = gcd(width, height) || 1;
  const w = width / d;
  const hgt = height / d;
  return `${width} × ${height}${w <= 100 && hgt <= 100 ? ` (${w}:${hgt})` : ''}`;
}

/** "24 fps", "29.97 fps (30000/1001)" from FFmpeg's exact rate. */
export function fps(text) {
  const [n, d] = String(text).split('/').map(Number);
  if (!d || d === 1) return `${n} fps`;
  const value = n / d;
  return Number.isInteger(value) ? `${value} fps` : `${value.toFixed(2)} fps (${text})`;
}

function sound(audio) {
  if (!audio) return undefined;
  switch (audio.handling) {
    case 'copied': return `the input's ${audio.codec || 'sound'}, copied packet for packet`;
    case 'converted': return `converted to AAC${audio.codec ? ` (${audio.codec})` : ''}: MP4 could not carry the input's codec`;
    case 'none': return 'none: the input has no sound';
    default: return audio.handling;
  }
}

/** The finish section, in words. */
export function finishEntries(f) {
  const s = f.source || {};
  return [
    ['Output', size(f.width, f.height)],
    ['Source in it', `${s.width} × ${s.height} at x ${s.x}, y ${s.y}`],
    ['Frame rate', f.fps ? fps(f.fps) : undefined],
    ['Length', `${f.frames} frames, ${Number(f.durationSeconds).toFixed(2)} s`],
    ['Sound', sound(f.audio)],
  ];
}

/** How the job was framed: the target and its plan, or the raw flags; the input and the raw generation's sizes. */
export function framingEntries(job, inVideo) {
  const { raw, result, finished } = resultsOf(job);
  const generated = finished ? raw : result;
  const inSize = inVideo && inVideo.videoWidth ? size(inVideo.videoWidth, inVideo.videoHeight)
    + (inVideo.duration ? `, ${inVideo.duration.toFixed(2)} s` : '') : job.input?.key;
  const target = job.request?.target;
  const plan = job.framing;
  const generation = generated?.width ? `${generated.width} × ${generated.height}, ${generated.durationSeconds?.toFixed?.(2) ?? '?'} s`
    : (ENDED.has(job.status) ? 'none' : 'not yet');
  const entries = [['Input', inSize]];
  if (target) {
    entries.push(['Target', `${target.aspectRatio}, anchor ${target.anchor || 'center'}`]);
  }
  if (plan) {
    entries.push(['Canvas', size(plan.canvas.width, plan.canvas.height)],
      ['Model widens', `${plan.sides?.join(', ') || 'no side'} by ${Number(plan.expandRatio).toFixed(2)}`],
      ['Crop', plan.crop ? `keeps ${plan.crop.width} × ${plan.crop.height} from x ${plan.crop.x}, y ${plan.crop.y}` : 'none']);
  } else {
    entries.push(['Expanded', ['Left', 'Right', 'Top', 'Bottom'].filter((s) => job.request?.[`expand${s}`] !== false).join(', ') || 'no side'],
      ['Ratio', job.request?.expandRatio], ['Aspect ratio', job.request?.aspectRatio]);
  }
  entries.push(['Resolution', job.request?.resolution], [finished ? 'Raw generation' : 'Result', generation]);
  return entries;
}

/** The steps, each done, current or to come; Finishing only when the job finishes its generation. */
export function jobSteps(job) {
  // a long clip is joined (and so finished) whatever its request says; its segments are copied, not it
  const steps = STEPS.filter(([name]) => (name !== 'Finishing' || job.segments || job.request?.finish !== false)
    && (name !== 'Copying' || !job.segments));
  const seen = new Set([job.status, ...(job.history || []).map((c) => c.status)]);
  const at = steps.findIndex(([, statuses]) => statuses.includes(job.status));
  // an ended job without success: the last step it reached is where it stopped
  const reached = at >= 0 ? at : steps.reduce((last, [, statuses], i) => (statuses.some((s) => seen.has(s)) ? i : last), -1);
  return steps.map(([name, statuses], i) => ({
    name, statuses,
    state: i < reached || (i === reached && job.status === 'SUCCEEDED') ? 'done'
      : i === reached ? (at >= 0 ? 'current' : 'stopped') : 'todo',
  }));
}

// How the result is framed: an aspect preset and an anchor (the request's target), or, under Advanced, the
// model's raw expand flags; never both. And whether the generation is finished (the request's finish).
import { h } from './dom.js';
import { RAW } from './form.js';

export const PRESETS = ['9:16', '1:1', '4:5', '16:9', '21:9'];
const ANCHORS = ['center', 'top', 'bottom', 'left', 'right'];
const DEFAULT_PRESET = '9:16';
const SAME_WITHIN = 0.01; // the API refuses a target the video is already this close to

const ratio = (text) => { const [w, h] = text.split(':').map(Number); return w / h; };

/** Builds the reframing controls into {@code container}; the raw inputs go into {@code rawFields} (filled by modelForm). */
export function reframeControls(container, rawFields, model) {
  const radios = new Map();
  const preset = (value) => {
    const input = h('input', { type: 'radio', name: 'aspect', value, id: `f-aspect-${value.replace(':', 'x')}`, checked: value === DEFAULT_PRESET });
    radios.set(value, input);
    const shape = h('span', { class: 'shape', 'aria-hidden': 'true' });
    Object.assign(shape.style, shapeSize(value)); // CSSOM: the page's policy refuses style attributes
    return h('label', { class: 'preset', for: input.id }, input, shape, h('span', {}, value));
  };
  const anchor = h('select', { id: 'f-anchor', name: 'anchor', 'aria-describedby': 'h-anchor' },
    ANCHORS.map((a) => h('option', { value: a, selected: a === 'center' }, a)));
  const rawMode = h('input', { type: 'radio', name: 'aspect', value: 'raw', id: 'f-aspect-raw' });
  radios.set('raw', rawMode);
  const finish = h('input', { type: 'checkbox', id: 'f-finish', name: 'finish', checked: true, 'aria-describedby': 'h-finish' });
  const targetError = h('p', { class: 'error', id: 'e-target', role: 'alert', hidden: true });
  const presetHelp = h('p', { class: 'help', id: 'h-aspect' }, 'The whole clip, reframed to this shape: the model widens the sides it needs to, '
    + 'and crops the video\'s other sides as little as possible where one pass cannot reach the shape.');
  const advanced = h('details', { class: 'more advanced', id: 'advanced' },
    h('summary', {}, 'Advanced: the model\'s raw framing'),
    h('label', { class: 'check raw-mode', for: 'f-aspect-raw' }, rawMode,
      h('span', {}, 'Set the sides and ratio by hand instead of a preset ', h('code', {}, 'expandLeft … aspectRatio'))),
    rawFields);

  container.append(
    h('fieldset', { class: 'presets', id: 'presets', 'aria-describedby': 'h-aspect e-target' },
      h('legend', {}, 'Reframe to'), h('div', { class: 'preset-row' }, PRESETS.map(preset)), presetHelp, targetError),
    h('div', { class: 'grid' },
      h('div', { class: 'field', 'data-field': 'anchor' },
        h('label', { for: 'f-anchor' }, h('span', {}, 'Anchor'), h('code', {}, 'target.anchor')), anchor,
        h('p', { class: 'help', id: 'h-anchor' }, 'Where the video sits in the new frame; on an axis that does not grow, centre.')),
      h('div', { class: 'field t-boolean', 'data-field': 'finish' },
        h('label', { class: 'check', for: 'f-finish' }, finish, h('span', {}, h('span', {}, 'Finish the result'), ' ', h('code', {}, 'finish'))),
        h('p', { class: 'help', id: 'h-finish' }, 'The input\'s frame rate, length, sound and pixels laid back over the generation, at the '
          + 'source\'s resolution, with a poster; off keeps the raw generation only.'))),
    advanced);

  function chosen() {
    return [...radios.values()].find((r) => r.checked)?.value ?? 'raw';
  }

  function apply() {
    const raw = chosen() === 'raw';
    model.lock(RAW, !raw); // a preset puts the raw flags back to their defaults: they are not sent
    anchor.disabled = raw;
    if (raw) advanced.open = true;
    container.dispatchEvent(new Event('input', { bubbles: true }));
  }
  for (const r of radios.values()) r.addEventListener('change', apply);
  apply();

  return {
    /** The request's framing part: {target} or the raw flags (read by modelForm), and finish when off. */
    request(values) {
      const out = { ...values };
      if (chosen() !== 'raw') {
        RAW.forEach((n) => delete out[n]);
        out.target = { aspectRatio: chosen() };
        if (anchor.value !== 'center') out.target.anchor = anchor.value;
      }
      if (!finish.checked) out.finish = false;
      return out;
    },
    /** The video's size: a preset it already has is refused by the API, so it is not offered. */
    input(width, height) {
      if (!(width > 0 && height > 0)) return;
      for (const value of PRESETS) {
        const same = Math.abs(ratio(value) / (width / height) - 1) <= SAME_WITHIN;
        const r = radios.get(value);
        r.disabled = same;
        r.closest('label').title = same ? `the video is already ${value}` : '';
        if (same && r.checked) {
          r.checked = false;
          (PRESETS.map((p) => radios.get(p)).find((o) => !o.disabled) || rawMode).checked = true;
          apply();
        }
      }
    },
    /** Shows the API's errors on the target or finish here; returns the others. */
    showErrors(fields) {
      const rest = [];
      for (const f of fields) {
        const name = String(f.field || '');
        if (name.startsWith('request.target') || name === 'request.finish') {
          targetError.textContent = String(f.message).replace(/^request\.target\.?[a-zA-Z]*: /, '');
          targetError.hidden = false;
        } else {
          if (RAW.includes(name.replace(/^request\./, ''))) advanced.open = true;
          rest.push(f);
        }
      }
      return rest;
    },
    clearErrors() {
      targetError.hidden = true;
      targetError.textContent = '';
    },
  };
}

/** A small outline of the shape, so that the buttons read at a glance. */
function shapeSize(value) {
  const r = ratio(value);
  return { width: `${r >= 1 ? 22 : Math.round(22 * r)}px`, height: `${r >= 1 ? Math.round(22 / r) : 22}px` };
}

/** The plan of a target, in a line: the canvas, the source's place, the model's sides, any crop. */
export function describePlan(framing) {
  if (!framing) return 'Raw flags: the model\'s own canvas (no plan).';
  const c = framing.canvas;
  const s = framing.source;
  const parts = [`Canvas ${c.width} × ${c.height}`, `the video at x ${s.x}, y ${s.y} (${s.width} × ${s.height})`];
  if (framing.sides?.length) parts.push(`the model widens ${framing.sides.join(', ')} by ${Number(framing.expandRatio).toFixed(2)}`);
  parts.push(framing.crop ? `crop: keeps ${framing.crop.width} × ${framing.crop.height} of the video from x ${framing.crop.x}, y ${framing.crop.y}`
    : 'no crop');
  return parts.join(' · ');
}

// The model inputs' form, generated from the API's own schema (openapi.yaml): names, defaults, ranges, help.
import { h } from './dom.js';

const MAIN = ['prompt', 'negativePrompt', 'resolution', 'numFrames'];
/** The model's own framing: the advanced way to reframe, exclusive with a target (reframe.js). */
export const RAW = ['expandLeft', 'expandRight', 'expandTop', 'expandBottom', 'expandRatio', 'aspectRatio'];
/** Inputs that reframe.js owns: not generated here. */
const OWN = ['target', 'finish'];

function label(name) {
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "default 81 · 81 to 241": what the schema allows, in one line. */
export function allowed(spec) {
  const parts = [];
  if (spec.default !== undefined) parts.push(`default ${spec.default}`);
  else if (spec.type !== 'string' || !spec.minLength) parts.push('optional');
  if (spec.enum) parts.push(`one of ${spec.enum.join(', ')}`);
  if (spec.minimum !== undefined && spec.maximum !== undefined) parts.push(`${spec.minimum} to ${spec.maximum}`);
  if (spec.minLength) parts.push('required');
  if (spec.maxLength) parts.push(`at most ${spec.maxLength.toLocaleString()} characters`);
  if (spec.maxItems) parts.push(`up to ${spec.maxItems} asset ids, comma-separated`);
  return parts.join(' · ');
}

function control(name, spec) {
  const id = `f-${name}`;
  const described = `h-${name} e-${name}`;
  if (spec.type === 'boolean') {
    return h('input', { id, name, type: 'checkbox', checked: spec.default === true, 'aria-describedby': described });
  }
  if (spec.enum) {
    return h('select', { id, name, 'aria-describedby': described },
      spec.enum.map((v) => h('option', { value: v, selected: v === spec.default }, v)));
  }
  if (spec.type === 'integer' || spec.type === 'number') {
    const step = spec.type === 'integer' ? '1' : 'any';
    return h('input', { id, name, type: 'number', step, min: spec.minimum, max: spec.maximum, inputmode: spec.type === 'integer' ? 'numeric' : 'decimal',
      value: spec.default !== undefined ? String(spec.default) : '', placeholder: spec.default === undefined ? 'random' : undefined, 'aria-describedby': described });
  }
  if (name === 'prompt' || name === 'negativePrompt') {
    return h('textarea', { id, name, rows: name === 'prompt' ? 3 : 2, maxlength: spec.maxLength, required: !!spec.minLength, 'aria-describedby': described });
  }
  return h('input', { id, name, type: 'text', 'aria-describedby': described });
}

function field(name, spec, required) {
  const input = control(name, spec);
  const title = [label(name), required ? ' *' : ''];
  const head = spec.type === 'boolean'
    ? h('label', { class: 'check', for: input.id }, input, h('span', {}, h('span', {}, title), ' ', h('code', {}, name)))
    : h('label', { for: input.id }, h('span', {}, title), h('code', {}, name));
  return h('div', { class: `field t-${spec.type}`, 'data-field': name },
    head,
    spec.type === 'boolean' ? null : input,
    h('p', { class: 'help', id: `h-${name}` }, spec.description ? spec.description + ' ' : '', h('span', { class: 'allowed' }, allowed(spec))),
    h('p', { class: 'error', id: `e-${name}`, role: 'alert', hidden: true }));
}

/**
 * Builds the form into {@code container}, the raw framing inputs into {@code rawContainer}; returns how
 * to read it and show the API's field errors.
 */
export function modelForm(container, inputsSchema, rawContainer) {
  const props = inputsSchema.properties;
  const required = new Set(inputsSchema.required || []);
  const names = Object.keys(props).filter((n) => !OWN.includes(n));
  const main = names.filter((n) => MAIN.includes(n));
  const raw = names.filter((n) => RAW.includes(n));
  const more = names.filter((n) => !MAIN.includes(n) && !RAW.includes(n));
  const details = h('details', { class: 'more', id: 'more-inputs' }, h('summary', {}, `More inputs (${more.length})`),
    h('div', { class: 'grid' }, more.map((n) => field(n, props[n], required.has(n)))));
  container.append(h('div', { class: 'grid' }, main.map((n) => field(n, props[n], required.has(n)))), details);
  rawContainer.append(h('div', { class: 'grid' }, raw.map((n) => field(n, props[n], required.has(n)))));
  const scope = [container, rawContainer];

  const read = (name) => scope.map((c) => c.querySelector(`[name="${name}"]`)).find(Boolean);
  const errorBox = (name) => scope.map((c) => c.querySelector(`#e-${CSS.escape(name)}`)).find(Boolean);
  return {
    /** The inputs that differ from their defaults, typed as the schema says; {@code skip} names left out. */
    values(skip = []) {
      const out = {};
      for (const name of names.filter((n) => !skip.includes(n))) {
        const spec = props[name];
        const el = read(name);
        if (spec.type === 'boolean') {
          if (el.checked !== (spec.default === true)) out[name] = el.checked;
          continue;
        }
        const raw = el.value.trim();
        if (raw === '') continue;
        let value = raw;
        if (spec.type === 'integer' || spec.type === 'number') value = Number(raw);
        if (spec.type === 'array') value = raw.split(',').map((s) => s.trim()).filter(Boolean);
        if (spec.default !== undefined && String(value) === String(spec.default)) continue;
        out[name] = typeof value === 'number' && Number.isNaN(value) ? raw : value;
      }
      return out;
    },
    set(name, value) {
      const el = read(name);
      if (el.type === 'checkbox') el.checked = !!value; else el.value = String(value);
    },
    /** Puts {@code list} back to their defaults and disables them, or enables them again. */
    lock(list, locked) {
      for (const name of list) {
        const el = read(name);
        if (locked) {
          const spec = props[name];
          if (el.type === 'checkbox') el.checked = spec.default === true;
          else el.value = spec.default !== undefined ? String(spec.default) : '';
        }
        el.disabled = locked;
      }
    },
    clearErrors() {
      scope.forEach((c) => c.querySelectorAll('.field .error').forEach((e) => { e.hidden = true; e.textContent = ''; }));
      scope.forEach((c) => c.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid')));
    },
    /** Shows each error beside its field ("request.numFrames"); returns the ones that fit no field. */
    showErrors(fields) {
      const rest = [];
      let first = null;
      for (const f of fields) {
        const name = String(f.field || '').replace(/^request\./, '');
        const box = errorBox(name);
        if (!box || !props[name] || OWN.includes(name)) { rest.push(f); continue; }
        // beside its field, the message need not name the field again
        const message = String(f.message);
        box.textContent = message.startsWith(`${f.field}: `) ? message.slice(String(f.field).length + 2) : message;
        box.hidden = false;
        read(name).setAttribute('aria-invalid', 'true');
        if (more.includes(name)) details.open = true;
        first ??= read(name);
      }
      first?.focus();
      return rest;
    },
  };
}

// One play/pause and one seek bar drive both videos; the first leads and the others follow it.
import { h } from './dom.js';

const DRIFT = 0.12; // seconds a follower may stray before it is put back

export function syncedPlayer(videos) {
  const [lead, ...followers] = videos;
  const play = h('button', { type: 'button', id: 'play', 'aria-label': 'Play both' }, '▶ Play');
  const seek = h('input', { type: 'range', id: 'seek', min: 0, max: 0, step: 0.01, value: 0, 'aria-label': 'Position in both videos' });
  const clock = h('span', { class: 'clock', id: 'clock' }, '0.0 s');
  const length = () => Math.min(...videos.map((v) => (Number.isFinite(v.duration) ? v.duration : Infinity)));

  function show() {
    const end = length();
    if (Number.isFinite(end)) seek.max = end.toFixed(2);
    seek.value = lead.currentTime;
    clock.textContent = `${lead.currentTime.toFixed(1)} s / ${Number.isFinite(end) ? end.toFixed(1) : '…'} s`;
    const playing = !lead.paused;
    play.textContent = playing ? '❚❚ Pause' : '▶ Play';
    play.setAttribute('aria-label', playing ? 'Pause both' : 'Play both');
  }

  function follow() {
    for (const v of followers) {
      if (Math.abs(v.currentTime - lead.currentTime) > DRIFT) v.currentTime = Math.min(lead.currentTime, v.duration || 0);
      if (lead.paused !== v.paused) lead.paused ? v.pause() : v.play().catch(() => {});
    }
  }

  async function toggle() {
    if (lead.paused) {
      if (lead.currentTime >= length() - 0.05) videos.forEach((v) => { v.currentTime = 0; });
      follow();
      await Promise.all(videos.map((v) => v.play().catch(() => {})));
    } else {
      videos.forEach((v) => v.pause());
    }
    show();
  }

  play.addEventListener('click', toggle);
  seek.addEventListener('input', () => {
    const t = Number(seek.value);
    videos.forEach((v) => { v.currentTime = Math.min(t, v.duration || t); });
    show();
  });
  for (const v of videos) {
    v.addEventListener('loadedmetadata', show);
    v.addEventListener('ended', () => { videos.forEach((o) => o.pause()); show(); });
    // a click on either video is the same as the button
    v.addEventListener('click', toggle);
  }
  lead.addEventListener('timeupdate', () => {
    if (lead.currentTime >= length()) videos.forEach((o) => o.pause());
    follow();
    show();
  });
  lead.addEventListener('pause', show);
  lead.addEventListener('play', show);
  return h('div', { class: 'player row' }, play, seek, clock);
}

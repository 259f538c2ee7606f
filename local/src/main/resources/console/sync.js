// One play/pause and one seek bar drive the videos over the longest of them: it leads, the others follow
// it and, once past their own end, wait on their last frame while the longest plays on.
import { h } from './dom.js';

const DRIFT = 0.12; // seconds a follower may stray before it is put back
const END = 0.05; // seconds from its end at which a video counts as ended

const known = (v) => Number.isFinite(v.duration) && v.duration > 0;

export function syncedPlayer(videos) {
  const play = h('button', { type: 'button', id: 'play', 'aria-label': 'Play both' }, '▶ Play');
  const seek = h('input', { type: 'range', id: 'seek', min: 0, max: 0, step: 0.01, value: 0, 'aria-label': 'Position in both videos' });
  const clock = h('span', { class: 'clock', id: 'clock' }, '0.0 s');
  // the longest video whose length is known; the first until one is
  const lead = () => videos.reduce((a, b) => (known(b) && (!known(a) || b.duration > a.duration) ? b : a));
  const length = () => Math.max(...videos.map((v) => (known(v) ? v.duration : 0)));
  const pastEnd = (v, t) => known(v) && t >= v.duration - END;

  function show() {
    const end = length();
    const now = lead().currentTime;
    if (end > 0) seek.max = end.toFixed(2);
    seek.value = now;
    clock.textContent = `${now.toFixed(1)} s / ${end > 0 ? end.toFixed(1) : '…'} s`;
    const playing = !lead().paused;
    play.textContent = playing ? '❚❚ Pause' : '▶ Play';
    play.setAttribute('aria-label', playing ? 'Pause both' : 'Play both');
  }

  function follow() {
    const leader = lead();
    const t = leader.currentTime;
    for (const v of videos) {
      if (v === leader) continue;
      if (pastEnd(v, t)) {
        // shorter than the leader: hold its last frame until the leader ends or comes back
        if (!v.paused) v.pause();
        if (v.duration - v.currentTime > DRIFT) v.currentTime = v.duration;
        continue;
      }
      if (Math.abs(v.currentTime - t) > DRIFT) v.currentTime = t;
      if (leader.paused !== v.paused) leader.paused ? v.pause() : v.play().catch(() => {});
    }
  }

  async function toggle() {
    const leader = lead();
    if (leader.paused) {
      if (leader.currentTime >= length() - END) videos.forEach((v) => { v.currentTime = 0; });
      await leader.play().catch(() => {});
      follow();
    } else {
      videos.forEach((v) => v.pause());
    }
    show();
  }

  play.addEventListener('click', toggle);
  seek.addEventListener('input', () => {
    const t = Number(seek.value);
    videos.forEach((v) => { v.currentTime = known(v) ? Math.min(t, v.duration) : t; });
    follow();
    show();
  });
  for (const v of videos) {
    v.addEventListener('loadedmetadata', show);
    // only the longest ending ends the comparison
    v.addEventListener('ended', () => { if (v === lead()) { videos.forEach((o) => o.pause()); show(); } });
    // a click on either video is the same as the button
    v.addEventListener('click', toggle);
    v.addEventListener('timeupdate', () => {
      if (v !== lead()) return;
      if (v.currentTime >= length()) videos.forEach((o) => o.pause());
      follow();
      show();
    });
    v.addEventListener('pause', () => { if (v === lead()) show(); });
    v.addEventListener('play', () => { if (v === lead()) show(); });
  }
  return h('div', { class: 'player row' }, play, seek, clock);
}

// The console's pages, by the URL's hash: #/new, #/jobs[?status=...], #/jobs/<id>.
import { newJobView } from './new-job.js';
import { jobsView } from './jobs.js';
import { jobView } from './job.js';
import { h } from './dom.js';
import { refreshSpend } from './spend.js';

const main = document.getElementById('main');
let current = null;

async function route() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const [path, query] = (location.hash.slice(1) || '/jobs').split('?');
  const params = new URLSearchParams(query || '');
  const job = path.match(/^\/jobs\/([A-Za-z0-9_-]{1,80})$/);
  document.querySelectorAll('[data-nav]').forEach((a) => {
    const here = a.dataset.nav === (path === '/new' ? 'new' : 'jobs');
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  refreshSpend();
  try {
    if (path === '/new') {
      document.title = 'New job · outpaint';
      await newJobView(main, controller.signal, params);
    } else if (job) {
      document.title = `${job[1]} · outpaint`;
      await jobView(main, controller.signal, params, job[1]);
    } else {
      document.title = 'Jobs · outpaint';
      await jobsView(main, controller.signal, params);
    }
  } catch (e) {
    main.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', {}, e.message));
  }
}

window.addEventListener('hashchange', () => { route(); main.focus({ preventScroll: true }); });
route();

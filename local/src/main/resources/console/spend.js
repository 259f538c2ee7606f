// The header's spend: the current budget period's units spent (and reserved) against the budget, from GET /usage.
import { api } from './api.js';

const REFRESH_MS = 30000;
let timer;

/** Shows the spend in #spend; on an error the line stays hidden (the page's own calls say what is wrong). */
export async function refreshSpend() {
  const line = document.getElementById('spend');
  if (!line) return;
  clearTimeout(timer);
  timer = setTimeout(refreshSpend, REFRESH_MS);
  let usage;
  try {
    usage = await api('GET', '/usage');
  } catch {
    line.hidden = true;
    return;
  }
  line.textContent = spendText(usage);
  line.title = `${usage.jobs} job(s) on the books of ${usage.period}; GET /usage?period=... for another period`;
  line.classList.toggle('over', usage.budget !== null && usage.remaining === 0);
  line.hidden = false;
}

/** "2026-12: 412 of 1000 creative units spent, 96 reserved" (or "... spent, no budget"). */
export function spendText(usage) {
  const reserved = usage.reserved > 0 ? `, ${usage.reserved} reserved` : '';
  if (usage.budget === null) return `${usage.period}: ${usage.spent} creative units spent${reserved}, no budget`;
  return `${usage.period}: ${usage.spent} of ${usage.budget} creative units spent${reserved}`;
}

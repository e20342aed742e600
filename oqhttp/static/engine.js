// The engine server page: calculations, runs, logs, downloads and plots. Every request
// goes through api.js (documented REST routes only).
import { api, ApiError } from './api.js';
import { csvTables } from './data.js';
import { plotterOf } from './plots.js';

const AUTH = document.body.dataset.auth === 'true';
const AELO = document.body.dataset.aelo === 'true';
const RUN = document.body.dataset.run === 'true';
const PAGE_SIZE = 20;
const POLL_MS = 1000;
const LIST_RUNNING_MS = 3000;
const LIST_IDLE_MS = 20000;
const RETRY_MS = 3000;
const TERMINAL = new Set(['complete', 'shared', 'failed', 'aborted', 'deleted']);
// a shared job is a complete one that other users may see
const isComplete = (job) => job.status === 'complete' || job.status === 'shared';

const state = { jobs: [], page: 0, selected: null, logRows: 0, pollTimer: 0, listTimer: 0,
  outputsOf: null };
const $ = (selector) => document.querySelector(selector);

function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

function notify(message) {
  $('#notice').textContent = message;
}

/** A request succeeded again: the notice of an earlier failed refresh goes. */
function recovered() {
  if ($('#notice').textContent.startsWith('Error: ')) notify('');
}

function stopTimers() {
  clearTimeout(state.pollTimer);
  clearTimeout(state.listTimer);
}

/** The login form (authenticated mode, no session). */
function showLogin(message = '') {
  stopTimers();
  state.selected = null;
  $('#main').hidden = true;
  $('#account').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message;
  $('#login-user').focus();
}

function showMain() {
  $('#login').hidden = true;
  $('#main').hidden = false;
  $('#account').hidden = !AUTH;
  $('#aelo').hidden = !AELO;
  $('#run').hidden = !RUN;
}

/** True when an error means that the session has ended (authenticated mode). */
const lostSession = (err) => AUTH && err instanceof ApiError && err.status === 403;

/** Errors of background refreshes: a lost session shows the login form. */
function failed(err) {
  if (lostSession(err)) {
    showLogin('Your session has ended: please log in again.');
  } else {
    notify(`Error: ${err.message}`);
  }
}

function statusBadge(status) {
  return el('span', { class: `status status-${status}` }, status);
}

// ------------------------------------------------------------------ the calculation list
async function refreshList() {
  clearTimeout(state.listTimer);
  try {
    state.jobs = await api.list();
  } catch (err) {
    failed(err);
    if (!lostSession(err)) state.listTimer = setTimeout(refreshList, RETRY_MS);
    return;
  }
  recovered();
  renderList();
  const running = state.jobs.some((job) => job.is_running);
  state.listTimer = setTimeout(refreshList, running ? LIST_RUNNING_MS : LIST_IDLE_MS);
}

function renderList() {
  const pages = Math.max(1, Math.ceil(state.jobs.length / PAGE_SIZE));
  state.page = Math.min(state.page, pages - 1);
  const tbody = $('#calcs tbody');
  // a refresh keeps the keyboard focus on the link it was on
  const focused = tbody.contains(document.activeElement)
    ? document.activeElement.closest('tr')?.dataset.id : null;
  tbody.replaceChildren();
  for (const job of state.jobs.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE)) {
    const row = el('tr', { 'data-id': job.id });
    if (job.id === state.selected) row.classList.add('selected');
    row.append(el('td', {}, String(job.id)));
    const status = el('td');
    status.append(statusBadge(job.status));
    row.append(status);
    const desc = el('td');
    const open = el('a', { href: `#calc-${job.id}`, class: 'open' }, job.description || '(no description)');
    desc.append(open);
    row.append(desc);
    row.append(el('td', {}, job.calculation_mode));
    row.append(el('td', {}, job.owner));
    row.append(el('td', {}, job.start_time || ''));
    row.append(el('td', {}, job.size_mb == null || job.size_mb < 0 ? '' : job.size_mb.toFixed(2)));
    tbody.append(row);
  }
  if (!state.jobs.length) {
    const row = el('tr');
    row.append(el('td', { colspan: 7 }, 'No calculations yet.'));
    tbody.append(row);
  }
  if (focused) tbody.querySelector(`tr[data-id="${focused}"] a`)?.focus();
  $('#page-info').textContent = `Page ${state.page + 1} of ${pages} (${state.jobs.length} calculations)`;
  $('#prev').disabled = state.page === 0;
  $('#next').disabled = state.page >= pages - 1;
}

// ------------------------------------------------------------------ one calculation
function openCalc(calcId) {
  clearTimeout(state.pollTimer);
  state.selected = calcId;
  state.logRows = 0;
  state.outputsOf = null;
  state.lastStatus = null;
  state.percent = null;
  $('#detail-summary').textContent = 'Loading…';
  $('#log').textContent = '';
  $('#traceback').hidden = true;
  $('#abort').disabled = true;
  $('#remove').disabled = true;
  $('#outputs tbody').replaceChildren(placeholderRow('Outputs appear when the calculation is complete.'));
  $('#plot').replaceChildren();
  $('#detail-title').textContent = `Calculation ${calcId}`;
  $('#detail').hidden = false;
  renderList();
  poll(calcId, true);
}

function closeCalc() {
  clearTimeout(state.pollTimer);
  state.selected = null;
  $('#detail').hidden = true;
  if (location.hash) history.replaceState(null, '', location.pathname);
}

/** The percentage in the newest log row that has one (progress messages), else null. */
function percentOf(rows) {
  for (let i = rows.length - 1; i >= 0; i--) {
    const m = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(rows[i][3]);
    if (m) return Math.min(100, Number(m[1]));
  }
  return null;
}

async function poll(calcId, focus = false) {
  if (state.selected !== calcId) return;
  let job, rows;
  try {
    job = await api.status(calcId);
    rows = await api.log(calcId, state.logRows);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      notify(`Calculation ${calcId} does not exist (or was removed).`);
      closeCalc();
      refreshList();
    } else {
      failed(err);  // a passing failure (server busy, network): try again a bit later
      if (!lostSession(err)) state.pollTimer = setTimeout(() => poll(calcId), RETRY_MS);
    }
    return;
  }
  if (state.selected !== calcId) return;
  recovered();
  if (job.status !== state.lastStatus) {
    if (state.lastStatus) refreshList();  // the list shows the new status at once
    state.lastStatus = job.status;
  }
  const summary = $('#detail-summary');
  summary.replaceChildren(statusBadge(job.status),
    ` ${job.description} (${job.calculation_mode}, owner ${job.owner}` +
    `${job.start_time ? ', started ' + job.start_time : ''})`);
  if (rows.length) {
    const log = $('#log');
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(rows.map((r) => `[${r[0]} ${r[1]} ${r[2]}] ${r[3]}\n`).join(''));
    state.logRows += rows.length;
    if (atBottom) log.scrollTop = log.scrollHeight;
    const pct = percentOf(rows);
    if (pct !== null) state.percent = pct;
  }
  showProgress(job);
  $('#abort').disabled = !job.abortable;
  $('#remove').disabled = job.is_running || !TERMINAL.has(job.status);
  if (focus) $('#detail').focus();
  if (TERMINAL.has(job.status)) {
    if (state.outputsOf !== calcId) {
      state.outputsOf = calcId;
      await finished(calcId, job);
    }
  } else {
    state.pollTimer = setTimeout(() => poll(calcId), POLL_MS);
  }
}

function showProgress(job) {
  const bar = $('#progress'), text = $('#progress-text');
  if (isComplete(job)) {
    bar.value = 100;
    text.textContent = job.status;
  } else if (TERMINAL.has(job.status)) {
    bar.value = 0;
    text.textContent = job.status;
  } else if (job.status === 'executing' && state.percent != null) {
    bar.value = state.percent;
    text.textContent = `${state.percent}% (${lines(state.logRows)})`;
  } else {
    bar.removeAttribute('value');  // indeterminate
    text.textContent = `${job.status} (${lines(state.logRows)})`;
  }
}

const lines = (n) => (n === 1 ? '1 log line' : `${n} log lines`);

async function finished(calcId, job) {
  state.percent = null;
  try {
    if (isComplete(job)) {
      showOutputs(await api.results(calcId));
    } else {
      $('#outputs tbody').replaceChildren(placeholderRow(`No outputs: the calculation ${job.status}.`));
      const lines = await api.traceback(calcId);
      const tb = $('#traceback');
      tb.textContent = lines.join('\n');
      tb.hidden = !lines.length;
    }
  } catch (err) {
    failed(err);
    if (!lostSession(err)) {  // try again a bit later
      state.outputsOf = null;
      state.pollTimer = setTimeout(() => poll(calcId), RETRY_MS);
    }
  }
}

function showOutputs(outputs) {
  const tbody = $('#outputs tbody');
  tbody.replaceChildren();
  for (const out of outputs) {
    const row = el('tr', { 'data-type': out.type });
    row.append(el('td', {}, out.name));
    const links = el('td', { class: 'downloads' });
    for (const fmt of out.outtypes) {
      links.append(el('a', { href: api.resultLink(out.id, fmt), download: '',
        'aria-label': `Download ${out.name} as ${fmt}`, 'data-format': fmt }, fmt));
    }
    row.append(links);
    const plotCell = el('td');
    if (plotterOf(out.type) && out.outtypes.includes('csv')) {
      const button = el('button', { type: 'button', class: 'plot-button' }, 'Plot');
      button.setAttribute('aria-label', `Plot ${out.name}`);
      button.addEventListener('click', () => showPlot(out));
      plotCell.append(button);
    }
    row.append(plotCell);
    tbody.append(row);
  }
  if (!outputs.length) tbody.append(placeholderRow('No outputs.'));
}

function placeholderRow(text) {
  const row = el('tr');
  row.append(el('td', { colspan: 3 }, text));
  return row;
}

async function showPlot(output) {
  const box = $('#plot');
  box.replaceChildren(el('p', {}, `Loading ${output.name}…`));
  try {
    const tables = await csvTables(await api.resultBytes(output.id, 'csv'), `${output.type}.csv`);
    box.replaceChildren(el('h3', {}, output.name));
    if (!tables.length) throw new Error('the export has no CSV file');
    plotterOf(output.type)(tables, box, output.name);
    box.querySelector('select')?.focus();
  } catch (err) {
    box.replaceChildren(el('p', { class: 'error' }, `Cannot plot ${output.name}: ${err.message}`));
  }
}

// ------------------------------------------------------------------ forms and buttons
function formError(selector, err) {
  $(selector).textContent = err instanceof ApiError && err.status === 403 && AUTH
    ? 'Not allowed: is your session still open?' : err.message;
}

async function submitRun(event) {
  event.preventDefault();
  const form = event.target;
  const data = new FormData(form);
  if (!data.get('hazard_job_id')) data.delete('hazard_job_id');
  $('#run-error').textContent = '';
  $('#run-submit').disabled = true;
  try {
    const answer = await api.run(data);
    form.reset();
    notify(`Calculation ${answer.job_id} submitted.`);
    location.hash = `#calc-${answer.job_id}`;
    refreshList();
  } catch (err) {
    formError('#run-error', err);
  } finally {
    $('#run-submit').disabled = false;
  }
}

async function submitAelo(event) {
  event.preventDefault();
  $('#aelo-error').textContent = '';
  try {
    const answer = await api.aeloRun(new FormData(event.target));
    notify(`AELO calculation ${answer.job_id} submitted.`);
    location.hash = `#calc-${answer.job_id}`;
    refreshList();
  } catch (err) {
    formError('#aelo-error', err);
  }
}

async function abortSelected() {
  const calcId = state.selected;
  try {
    const answer = await api.abort(calcId);
    notify(answer.success || `Calculation ${calcId} aborted.`);
  } catch (err) {
    notify(`Cannot abort calculation ${calcId}: ${err.message}`);
  }
  clearTimeout(state.pollTimer);
  poll(calcId);
}

async function removeSelected() {
  const calcId = state.selected;
  if (!window.confirm(`Remove calculation ${calcId} and all its outputs?`)) return;
  try {
    await api.remove(calcId);
    notify(`Calculation ${calcId} removed.`);
    closeCalc();
    refreshList();
  } catch (err) {
    notify(`Cannot remove calculation ${calcId}: ${err.message}`);
  }
}

async function submitLogin(event) {
  event.preventDefault();
  $('#login-error').textContent = '';
  try {
    await api.login(new FormData(event.target));
  } catch (err) {
    $('#login-error').textContent = err.status === 403 ? 'Wrong user name or password.' : err.message;
    return;
  }
  event.target.reset();
  start();
}

async function logout() {
  try {
    await api.logout();
  } catch (err) {
    notify(`Error: ${err.message}`);
  }
  showLogin('You have logged out.');
}

function route() {
  const m = /^#calc-(\d+)$/.exec(location.hash);
  if (m && !$('#main').hidden) openCalc(Number(m[1]));
}

/** Show the page: the list (and the calculation in the address), or the login form. */
async function start() {
  try {
    state.jobs = await api.list();
  } catch (err) {
    if (AUTH && err instanceof ApiError && err.status === 403) {
      showLogin();
      return;
    }
    notify(`Error: ${err.message}`);
  }
  showMain();
  refreshList();
  route();
}

$('#login-form').addEventListener('submit', submitLogin);
$('#logout').addEventListener('click', logout);
$('#run-form').addEventListener('submit', submitRun);
$('#aelo-form').addEventListener('submit', submitAelo);
$('#abort').addEventListener('click', abortSelected);
$('#remove').addEventListener('click', removeSelected);
$('#prev').addEventListener('click', () => { state.page -= 1; renderList(); });
$('#next').addEventListener('click', () => { state.page += 1; renderList(); });
window.addEventListener('hashchange', route);
start();

// The one place where the page talks to the server. Every path here is a route of the
// documented REST API (rest-api.rst); tests/http/test_page.py checks it.

/** An error answer of the server: its HTTP status and its message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The message of an error answer: the "error_msg" or "error" of its JSON, else its text. */
async function errorMessage(resp) {
  const text = await resp.text();
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object') {
      return body.error_msg || body.error || text;
    }
  } catch (e) {
    // not JSON: the text itself
  }
  return text.replace(/<[^>]*>/g, ' ').trim() || resp.statusText;
}

/** Send one request; an ApiError for any non-2xx answer. */
async function send(method, path, body) {
  const resp = await fetch(path, { method, body, credentials: 'same-origin' });
  if (!resp.ok) {
    throw new ApiError(resp.status, await errorMessage(resp));
  }
  return resp;
}

const getJSON = async (path) => (await send('GET', path)).json();
const postJSON = async (path, form) => (await send('POST', path, form)).json();
const postText = async (path, form) => (await send('POST', path, form)).text();
const id = (value) => encodeURIComponent(String(value));

/** The REST calls of the page. */
export const api = {
  /** GET /v1/calc/list: the calculations the user may see, newest first. */
  list: () => getJSON('/v1/calc/list'),
  /** GET /v1/calc/:calc_id/status */
  status: (calcId) => getJSON(`/v1/calc/${id(calcId)}/status`),
  /** GET /v1/calc/:calc_id/log/[:start]:[:stop]: the log rows from ``start`` on. */
  log: (calcId, start) => getJSON(`/v1/calc/${id(calcId)}/log/${Number(start)}:`),
  /** GET /v1/calc/:calc_id/traceback */
  traceback: (calcId) => getJSON(`/v1/calc/${id(calcId)}/traceback`),
  /** GET /v1/calc/:calc_id/results */
  results: (calcId) => getJSON(`/v1/calc/${id(calcId)}/results`),
  /** GET /v1/calc/result/:result_id?export_type=FMT: the bytes of an output. */
  resultBytes: async (resultId, fmt) => (await send(
    'GET', `/v1/calc/result/${id(resultId)}?export_type=${id(fmt)}`)).arrayBuffer(),
  /** The download link of an output in a format (dload=true: saved, not shown). */
  resultLink: (resultId, fmt) => `/v1/calc/result/${id(resultId)}?export_type=${id(fmt)}&dload=true`,
  /** POST /v1/calc/run with a FormData (archive files, hazard_job_id). */
  run: (form) => postJSON('/v1/calc/run', form),
  /** POST /v1/calc/aelo_run with a FormData (lon, lat, vs30, site_name). */
  aeloRun: (form) => postJSON('/v1/calc/aelo_run', form),
  /** POST /v1/calc/:calc_id/abort */
  abort: (calcId) => postJSON(`/v1/calc/${id(calcId)}/abort`),
  /** POST /v1/calc/:calc_id/remove */
  remove: (calcId) => postJSON(`/v1/calc/${id(calcId)}/remove`),
  /** POST /accounts/ajax_login/ with a FormData (username, password). */
  login: (form) => postText('/accounts/ajax_login/', new URLSearchParams(form)),
  /** POST /accounts/ajax_logout/ */
  logout: () => postText('/accounts/ajax_logout/'),
};

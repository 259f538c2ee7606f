// The HTTP API on this page's own origin: the runtime (or `outpaint console`) authorizes it by the page's session
// cookie, and calls that change state by the session's CSRF token too, which the server put in the page.
const CSRF = document.querySelector('meta[name="outpaint-csrf"]')?.content || '';
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `the API answered ${status}`);
    this.status = status;
    this.code = error?.code || 'HTTP_' + status;
    this.fields = Array.isArray(error?.fields) ? error.fields : [];
  }
}

export async function api(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers, 'X-Outpaint-CSRF': CSRF }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { code: 'UNREACHABLE', message: 'the API did not answer: ' + e.message });
  }
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { error: { message: text.slice(0, 200) } };
  }
  if (!response.ok) throw new ApiError(response.status, json.error);
  return json;
}

/** PUTs a file to a presigned URL, reporting progress (0..1). */
export function putFile(upload, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method || 'PUT', upload.url);
    for (const [name, value] of Object.entries(upload.headers || {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new ApiError(xhr.status, { message: `the upload was refused (${xhr.status})` })));
    xhr.onerror = () => reject(new ApiError(0, { message: 'the upload failed: the storage did not answer' }));
    xhr.send(file);
  });
}

let schemaPromise;
/** The model inputs and statuses, as openapi.yaml describes them. */
export function schema() {
  schemaPromise ??= fetch('schema.json').then((r) => r.json());
  return schemaPromise;
}

// The page's only way to the server: JSON over fetch, errors carry the API's own message.
export class ApiError extends Error {
  constructor(status, message, suggestions = []) {
    super(message);
    this.status = status;
    this.suggestions = suggestions; // entities an unknown name may have meant: [{id, name, type}]
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function parse(response) {
  const body = await response.text();
  let data = null;
  try {
    data = body ? JSON.parse(body) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = data?.detail;
    const text =
      typeof detail === "string"
        ? detail
        : detail
          ? JSON.stringify(detail)
          : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, text, Array.isArray(data?.suggestions) ? data.suggestions : []);
  }
  return data;
}

export async function getJSON(path, params) {
  return parse(await fetch(`${path}${query(params)}`, { headers: { Accept: "application/json" } }));
}

export async function postJSON(path, payload) {
  return parse(
    await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
    }),
  );
}

/** The same answer as a file to download: `format=csv` turns any GET answer of the API into CSV. */
export function apiUrl(path, params, format) {
  return `${path}${query(format ? { ...params, format } : params)}`;
}

/** POST a file as multipart form data with the write token; the answer as parsed JSON. */
export async function postFile(path, file, token) {
  const form = new FormData();
  form.append("file", file);
  return parse(
    await fetch(path, {
      method: "POST",
      headers: { Accept: "application/json", Authorization: `Bearer ${token}` },
      body: form,
    }),
  );
}

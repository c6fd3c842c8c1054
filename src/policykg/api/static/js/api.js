// The page's only way to the server: JSON over fetch, errors carry the API's own message.
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function query(params) {
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
    throw new ApiError(response.status, text);
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

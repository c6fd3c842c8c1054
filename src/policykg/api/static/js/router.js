// Hash routes (#/entity?id=…) so every view has a URL that can be shared and bookmarked.
export function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [name, search = ""] = hash.split("?");
  return { name: name || "search", params: new URLSearchParams(search) };
}

export function routeHref(name, params = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return `#/${name}${text ? `?${text}` : ""}`;
}

export function navigate(name, params = {}) {
  location.hash = routeHref(name, params);
}

/** Record the view's state in the URL without re-rendering the view (filters, selection). */
export function replaceParams(name, params) {
  history.replaceState(null, "", routeHref(name, params));
}

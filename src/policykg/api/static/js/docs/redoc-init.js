// /redoc: Redoc over the app's OpenAPI document, with the system's fonts (no web fonts to fetch).
Redoc.init(
  "/openapi.json",
  {
    hideDownloadButton: false,
    theme: { typography: { fontFamily: "sans-serif", headings: { fontFamily: "sans-serif" } } },
  },
  document.getElementById("redoc"),
);

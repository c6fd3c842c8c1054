"""/docs (Swagger UI) and /redoc (Redoc) served from the page's own files: both come from npm with the page's
other JavaScript (`make web`), so the API's documentation works offline and behind a firewall, with no CDN and
no inline script (the pages load their set-up from static/js/docs/)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).parent / "static"
# Redoc's footer shows a logo from its makers' CDN: the Content-Security-Policy of every answer (api/security.py)
# lets the browser fetch images and data from this server only, so it never asks (the logo hides itself).
router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger_ui() -> FileResponse:
    return FileResponse(STATIC_DIR / "docs.html")


@router.get("/redoc")
def redoc() -> FileResponse:
    return FileResponse(STATIC_DIR / "redoc.html")

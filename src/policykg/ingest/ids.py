"""Stable identifiers: the same thing gets the same id in every run and every store."""

from __future__ import annotations

import hashlib


def document_id(text: str) -> str:
    """A document is identified by its content: the same text, the same id."""
    return "doc:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def entity_id(entity_type: str, name: str, code: str | None = None) -> str:
    """An entity by its type and canonical name; the area code disambiguates same-named areas."""
    base = f"{entity_type}:{name}"
    return f"{base}@{code}" if code else base


def short_hash(*parts: object) -> str:
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]

"""The API's configuration, read once from the environment when the app is made."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ValueError(f"environment variable {name} must be an integer, not {raw!r}") from error


@dataclass(frozen=True)
class ApiSettings:
    api_token: str | None = None  # None: the write endpoints are off
    cypher_timeout_ms: int = 5000
    cypher_row_cap: int = 1000
    cypher_max_chars: int = 20000
    max_upload_bytes: int = 20 * 1024 * 1024
    cors_origins: tuple[str, ...] = field(default_factory=tuple)  # empty: no CORS headers at all
    cache_mb: int = 256  # cached answers per server process (api/cache.py)
    cache_version_ms: int = 20  # how old the graph version a cached answer is checked against may be (cache.py)
    cache_warm: bool = True  # compute the whole-graph cached queries at start and after each change

    @classmethod
    def from_env(cls) -> ApiSettings:
        origins = os.environ.get("POLICYKG_CORS_ORIGINS", "")
        return cls(
            api_token=os.environ.get("POLICYKG_API_TOKEN") or None,
            cypher_timeout_ms=_int_env("POLICYKG_CYPHER_TIMEOUT_MS", 5000),
            cypher_row_cap=_int_env("POLICYKG_CYPHER_ROW_CAP", 1000),
            max_upload_bytes=_int_env("POLICYKG_MAX_UPLOAD_MB", 20) * 1024 * 1024,
            cache_mb=_int_env("POLICYKG_CACHE_MB", 256),
            cache_version_ms=_int_env("POLICYKG_CACHE_VERSION_MS", 20),
            cache_warm=os.environ.get("POLICYKG_CACHE_WARM", "1").lower() not in ("0", "false", "no", "off"),
            cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        )

"""Every setting policykg takes from its environment: read here, once, into one frozen object passed on.

No other module reads the environment. The command line reads it through `Settings.from_env` and lets its
options override the store's part; `serve --workers N` hands the object itself to its worker processes.
The README's table of POLICYKG_* variables lists the same names as `VARIABLES`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA_DIR = Path("./policykg-data")
EMBEDDED = "embedded"
BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
# Seconds one document may take to extract, in a batch ingest's worker and in an upload's alike: past it the
# worker is killed (extraction of a hostile document can take minutes and gigabytes).
EXTRACT_TIMEOUT_S = 120.0


class SettingsError(ValueError):
    """A variable's value cannot be used; the message names the variable."""


@dataclass(frozen=True)
class StoreSettings:
    uri: str | None = None  # None or "embedded": the embedded FalkorDB; else a bolt:// or neo4j:// URI
    data_dir: Path = DEFAULT_DATA_DIR  # the embedded store's data
    user: str | None = None
    password: str | None = None
    neo4j_database: str | None = None  # None: the server's default database
    batch_rows: int | None = None  # rows per write transaction on Neo4j; None: the store's own default
    query_memory_mb: int = 512  # memory one query may use in the embedded store (graph/stores/embedded_server.py)

    @property
    def is_embedded(self) -> bool:
        return self.uri in (None, "", EMBEDDED)


@dataclass(frozen=True)
class ApiSettings:
    api_token: str | None = None  # None: the write endpoints are off
    cypher_timeout_ms: int = 5000
    cypher_row_cap: int = 1000
    cypher_max_chars: int = 20000
    # /api/cypher queries running at once, in all server processes (api/cypher_gate.py): a core is left to everything
    # else, since a query uses a core whole (two 5 s queries on 2 cores put /api/health's p99 at 500 ms)
    cypher_concurrency: int = max(1, (os.cpu_count() or 2) - 1)
    cypher_per_client: int = 1  # … and from one client address
    max_upload_bytes: int = 20 * 1024 * 1024
    cors_origins: tuple[str, ...] = ()  # empty: no CORS headers at all
    cache_mb: int = 256  # cached answers per server process (api/cache.py)
    cache_version_ms: int = 20  # how old the graph version a cached answer is checked against may be (cache.py)
    cache_warm: bool = True  # compute the whole-graph cached queries at start and after each change
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS  # Host header names answered ("*": any); `serve` adds its --host
    extract_timeout_s: float = EXTRACT_TIMEOUT_S  # an upload's extraction, in a worker process (api/workers.py)
    graph_timeout_s: float = 300.0  # a whole-graph export or analysis, in a worker process (api/graph_jobs.py)


@dataclass(frozen=True)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    api: ApiSettings = field(default_factory=ApiSettings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the POLICYKG_* variables of `environ` (default: this process's environment) give;
        SettingsError for a value that cannot be used or a POLICYKG_* name that is none of them (a typo)."""
        env = _Environment(os.environ if environ is None else environ)
        return cls(store=_store_settings(env), api=_api_settings(env))


VARIABLES = (
    "POLICYKG_STORE",
    "POLICYKG_DATA_DIR",
    "POLICYKG_NEO4J_USER",
    "POLICYKG_NEO4J_PASSWORD",
    "POLICYKG_NEO4J_DATABASE",
    "POLICYKG_NEO4J_BATCH_ROWS",
    "POLICYKG_QUERY_MEMORY_MB",
    "POLICYKG_API_TOKEN",
    "POLICYKG_CYPHER_TIMEOUT_MS",
    "POLICYKG_CYPHER_ROW_CAP",
    "POLICYKG_CYPHER_CONCURRENCY",
    "POLICYKG_CYPHER_PER_CLIENT",
    "POLICYKG_DOC_TIMEOUT",
    "POLICYKG_MAX_UPLOAD_MB",
    "POLICYKG_CORS_ORIGINS",
    "POLICYKG_CACHE_MB",
    "POLICYKG_CACHE_VERSION_MS",
    "POLICYKG_CACHE_WARM",
    "POLICYKG_ALLOWED_HOSTS",
    "POLICYKG_GRAPH_TIMEOUT_S",
)


def _store_settings(env: _Environment) -> StoreSettings:
    return StoreSettings(
        uri=env.store_uri("POLICYKG_STORE"),
        data_dir=Path(env.text("POLICYKG_DATA_DIR") or DEFAULT_DATA_DIR),
        user=env.text("POLICYKG_NEO4J_USER"),
        password=env.text("POLICYKG_NEO4J_PASSWORD"),
        neo4j_database=env.text("POLICYKG_NEO4J_DATABASE"),
        batch_rows=env.whole_or_none("POLICYKG_NEO4J_BATCH_ROWS", minimum=1),
        query_memory_mb=env.whole("POLICYKG_QUERY_MEMORY_MB", StoreSettings.query_memory_mb, minimum=1),
    )


def _api_settings(env: _Environment) -> ApiSettings:
    defaults = ApiSettings()
    origins = env.text("POLICYKG_CORS_ORIGINS") or ""
    hosts = env.text("POLICYKG_ALLOWED_HOSTS") or ",".join(defaults.allowed_hosts)
    upload_mb = env.whole("POLICYKG_MAX_UPLOAD_MB", defaults.max_upload_bytes // 2**20, minimum=1)
    return ApiSettings(
        api_token=env.text("POLICYKG_API_TOKEN"),
        cypher_timeout_ms=env.whole("POLICYKG_CYPHER_TIMEOUT_MS", defaults.cypher_timeout_ms, minimum=1),
        cypher_row_cap=env.whole("POLICYKG_CYPHER_ROW_CAP", defaults.cypher_row_cap, minimum=1),
        cypher_concurrency=env.whole("POLICYKG_CYPHER_CONCURRENCY", defaults.cypher_concurrency, minimum=1),
        cypher_per_client=env.whole("POLICYKG_CYPHER_PER_CLIENT", defaults.cypher_per_client, minimum=1),
        max_upload_bytes=upload_mb * 2**20,
        cors_origins=tuple(origin.strip() for origin in origins.split(",") if origin.strip()),
        cache_mb=env.whole("POLICYKG_CACHE_MB", defaults.cache_mb, minimum=0),
        cache_version_ms=env.whole("POLICYKG_CACHE_VERSION_MS", defaults.cache_version_ms, minimum=0),
        cache_warm=env.switch("POLICYKG_CACHE_WARM", defaults.cache_warm),
        allowed_hosts=tuple(host.strip() for host in hosts.split(",") if host.strip()),
        graph_timeout_s=env.whole("POLICYKG_GRAPH_TIMEOUT_S", int(defaults.graph_timeout_s), minimum=1),
        extract_timeout_s=env.whole("POLICYKG_DOC_TIMEOUT", int(defaults.extract_timeout_s), minimum=1),
    )


class _Environment:
    """The POLICYKG_* variables of one environment, each parsed with an error that names it. An empty value
    counts as unset, as it always has (`POLICYKG_STORE= policykg serve` opens the embedded store)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        unknown = sorted(name for name in environ if name.startswith("POLICYKG_") and name not in VARIABLES)
        if unknown:
            raise SettingsError(f"unknown setting {', '.join(unknown)}: policykg reads {', '.join(VARIABLES)}")
        self._values = {name: environ[name] for name in VARIABLES if environ.get(name)}

    def text(self, name: str) -> str | None:
        return self._values.get(name)

    def whole(self, name: str, default: int, minimum: int) -> int:
        value = self.whole_or_none(name, minimum)
        return default if value is None else value

    def whole_or_none(self, name: str, minimum: int) -> int | None:
        raw = self._values.get(name)
        if raw is None:
            return None
        if not raw.strip().isdigit() or int(raw) < minimum:
            raise SettingsError(f"{name} must be a whole number of at least {minimum}, not {raw!r}")
        return int(raw)

    def switch(self, name: str, default: bool) -> bool:
        raw = self._values.get(name)
        if raw is None:
            return default
        if raw.lower() not in _TRUE + _FALSE:
            raise SettingsError(f"{name} must be one of {', '.join(_TRUE + _FALSE)}, not {raw!r}")
        return raw.lower() in _TRUE

    def store_uri(self, name: str) -> str | None:
        raw = self._values.get(name)
        if raw is None or raw == EMBEDDED or raw.startswith(BOLT_SCHEMES):
            return raw
        raise SettingsError(f"{name} must be '{EMBEDDED}' or a bolt:// or neo4j:// URI, not {raw!r}")

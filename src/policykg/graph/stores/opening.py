"""Choose and open a store from configuration: the embedded FalkorDB by default, Neo4j by URI."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.protocol import Store
from policykg.graph.stores.texts import DocumentTexts

DEFAULT_DATA_DIR = "./policykg-data"
BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


@dataclass(frozen=True)
class StoreConfig:
    uri: str | None = None  # None or "embedded": the embedded FalkorDB
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_env(cls) -> StoreConfig:
        return cls(
            uri=os.environ.get("POLICYKG_STORE") or None,
            data_dir=Path(os.environ.get("POLICYKG_DATA_DIR") or DEFAULT_DATA_DIR),
            user=os.environ.get("POLICYKG_NEO4J_USER") or None,
            password=os.environ.get("POLICYKG_NEO4J_PASSWORD") or None,
        )

    @property
    def is_embedded(self) -> bool:
        return self.uri in (None, "", "embedded")


class OpenedStore:
    """A store plus what it took to open it: an embedded server is held by a lease, and closing stops it only
    when no other process holds one and it was not started on its own (`policykg store start`)."""

    def __init__(self, store: Store, server: EmbeddedServer | None = None, lease: Path | None = None) -> None:
        self.store = store
        self.server = server
        self.lease = lease

    def close(self, keep_server: bool = False) -> None:
        try:
            self.store.close()
        finally:
            if self.server and self.lease:
                lease, self.lease = self.lease, None  # closing twice must not release twice
                self.server.close_lease(lease, stop_if_last=not keep_server)

    def __enter__(self) -> Store:
        return self.store

    def __exit__(self, *_: object) -> None:
        self.close()


def texts_of(data_dir: Path) -> DocumentTexts:
    """The embedded store's document texts: beside its database, outside its memory."""
    return DocumentTexts(Path(data_dir) / "texts")


def open_store(config: StoreConfig) -> OpenedStore:
    if config.is_embedded:
        from policykg.graph.stores.falkordb_store import FalkorDBStore

        server = EmbeddedServer(config.data_dir)
        address, lease = server.open_lease()
        return OpenedStore(FalkorDBStore(address.client(), texts=texts_of(config.data_dir)), server, lease)
    if config.uri and config.uri.startswith(BOLT_SCHEMES):
        from policykg.graph.stores.neo4j_store import Neo4jStore

        return OpenedStore(Neo4jStore.connect(config.uri, config.user, config.password))
    raise ValueError(f"unknown store {config.uri!r}: use 'embedded' or a bolt:// or neo4j:// URI")

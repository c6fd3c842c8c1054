"""Choose and open a store from its settings: the embedded FalkorDB by default, Neo4j by URI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.protocol import Store
from policykg.graph.stores.texts import DocumentTexts
from policykg.graph.stores.writer_lock import WriterLock
from policykg.settings import BOLT_SCHEMES, StoreSettings


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


def open_store(settings: StoreSettings, on_wait: Callable[[str], None] | None = None) -> OpenedStore:
    """`on_wait` hears why the embedded store keeps this process waiting: another writer loading into its folder,
    the server replaying its data after a restart."""
    if settings.is_embedded:
        from policykg.graph.stores.falkordb_store import FalkorDBStore

        server = EmbeddedServer(settings.data_dir)
        address, lease = server.open_lease(on_wait=on_wait)
        embedded = FalkorDBStore(
            address.client(), texts=texts_of(settings.data_dir), writer_lock=WriterLock(settings.data_dir, on_wait)
        )
        return OpenedStore(embedded, server, lease)
    if settings.uri and settings.uri.startswith(BOLT_SCHEMES):
        from policykg.graph.stores.neo4j_store import Neo4jStore

        store = Neo4jStore.connect(
            settings.uri, settings.user, settings.password, settings.neo4j_database, settings.batch_rows
        )
        return OpenedStore(store)
    raise ValueError(f"unknown store {settings.uri!r}: use 'embedded' or a bolt:// or neo4j:// URI")

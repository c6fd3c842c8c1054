"""The policykg command line: a thin layer over the pipeline, the stores and the API."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from policykg import SAMPLES_DIR
from policykg.graph.stores.embedded_server import EmbeddedServer, EmbeddedServerError
from policykg.graph.stores.opening import OpenedStore, open_store
from policykg.ingest.files import SkippedEntry, Walk, walk
from policykg.ingest.pipeline import Failure, extract_many
from policykg.ingest.record import Record
from policykg.settings import Settings, SettingsError

app = typer.Typer(help="Chinese municipal S&T policy documents to a knowledge graph.", no_args_is_help=True)
store_app = typer.Typer(help="Start, stop or inspect the embedded FalkorDB store.", no_args_is_help=True)
app.add_typer(store_app, name="store")
err = Console(stderr=True)

# The store's options override the POLICYKG_* variables read by policykg.settings (the only reader of the
# environment); an option left out keeps what the environment says.
DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Folder of the embedded store's data (env POLICYKG_DATA_DIR; default ./policykg-data)."
    ),
]
StoreUri = Annotated[
    str | None,
    typer.Option("--store", help="'embedded' (default) or a bolt:// or neo4j:// URI (env POLICYKG_STORE)."),
]
User = Annotated[str | None, typer.Option("--user", help="Neo4j user (env POLICYKG_NEO4J_USER).")]
Password = Annotated[str | None, typer.Option("--password", help="Neo4j password (env POLICYKG_NEO4J_PASSWORD).")]
Paths = Annotated[list[Path], typer.Argument(help="Document files or folders of them.")]
FollowLinks = Annotated[
    bool,
    typer.Option(
        "--follow-links",
        help="Read symbolic links in folders that lead outside them (by default they are skipped and reported).",
    ),
]


def _settings(
    store: str | None = None, data_dir: Path | None = None, user: str | None = None, password: str | None = None
) -> Settings:
    """The environment's settings, with the store options given on the command line in place of theirs."""
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        err.print(f"[red]bad setting:[/red] {error}", highlight=False)
        raise typer.Exit(2) from error
    env = settings.store
    return replace(
        settings,
        store=replace(
            env,
            uri=env.uri if store is None else store,
            data_dir=env.data_dir if data_dir is None else data_dir,
            user=env.user if user is None else user,
            password=env.password if password is None else password,
        ),
    )


def _exit_on_sigterm(signum: int, _: object) -> None:
    raise SystemExit(128 + signum)


def _say_why_waiting(message: str) -> None:
    err.print(message, style="yellow", markup=False, highlight=False, soft_wrap=True)  # one line, for scripts


def _open(settings: Settings) -> OpenedStore:
    # SIGTERM would end the process without running `finally`: the store's server would be left running.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return open_store(settings.store, on_wait=_say_why_waiting)
    except Exception as error:
        err.print(f"[red]cannot open the store:[/red] {error}")
        raise typer.Exit(2) from error


def _walk(paths: list[Path], follow_links: bool) -> Walk:
    """The files to read; every entry passed over is reported now, before the long part starts."""
    found = walk(paths, follow_links)
    for entry in found.skipped:
        err.print(f"[yellow]skipped[/yellow] {entry.path}: {entry.reason}", highlight=False)
    return found


def _records(found: Walk, failures: list[Failure]) -> Iterator[Record]:
    for outcome in extract_many(found.files):
        if isinstance(outcome, Failure):
            err.print(f"[red]failed[/red] {outcome.file}: {outcome.reason}")
            failures.append(outcome)
        else:
            yield outcome


@app.command()
def extract(
    paths: Paths,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write JSON Lines here.")] = None,
    follow_links: FollowLinks = False,
) -> None:
    """Extract records from documents and print them as JSON Lines. Exits 1 when a document failed or an
    entry of a folder was skipped (each is reported)."""
    failures: list[Failure] = []
    found = _walk(paths, follow_links)
    handle = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for record in _records(found, failures):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if output:
            handle.close()
    _exit_if_incomplete(failures, found.skipped)


def _exit_if_incomplete(failures: list[Failure], skipped: list[SkippedEntry]) -> None:
    """Something named was not loaded: exit 1, as a script expects when not every file made it (a broken
    link or a link out of the folder may well be a document the user meant)."""
    if failures or skipped:
        raise typer.Exit(1)


def _load_and_report(opened: OpenedStore, records: Iterator[Record], failures: list[Failure]) -> None:
    report = opened.store.load(records)
    err.print(
        f"loaded {report.loaded} documents ({report.unchanged} unchanged, {report.replaced} replaced), "
        f"{report.nodes} node rows, {report.relationships} relationship rows; {len(failures)} failed"
    )


@app.command()
def ingest(
    paths: Paths,
    data_dir: DataDir = None,
    store: StoreUri = None,
    user: User = None,
    password: Password = None,
    workers: Annotated[int, typer.Option(min=1, help="Extracting processes.")] = os.cpu_count() or 1,
    doc_timeout: Annotated[
        float | None,
        typer.Option(min=1, help="Seconds one document may take to extract (env POLICYKG_DOC_TIMEOUT; default 120)."),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    follow_links: FollowLinks = False,
) -> None:
    """Extract documents in parallel and load them into the store; documents already loaded are skipped.
    Exits 1 when a document failed or an entry of a folder was skipped (each is reported)."""
    from policykg.app.batch import BatchOptions, LoaderStopped, ingest_batch, progress_bar

    found = _walk(paths, follow_links)
    settings = _settings(store, data_dir, user, password)
    options = BatchOptions(workers=workers, document_timeout=doc_timeout or settings.api.extract_timeout_s)
    opened = _open(settings)
    try:
        with progress_bar(console=err, disable=not progress) as bar:
            summary = ingest_batch(found.files, opened.store, options, bar)
    except LoaderStopped as error:
        err.print(f"[red]{error}[/red]\nWhat was loaded is kept; run the same command again to resume.")
        raise typer.Exit(2) from error
    finally:
        opened.close()
    summary.passed_over = found.skipped
    for line in summary.lines():
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    _exit_if_incomplete(summary.failures, found.skipped)


def _read_records(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise typer.BadParameter(f"{path}:{number}: not a JSON record ({error.msg})") from error


@app.command()
def load(
    records: Annotated[Path, typer.Argument(help="A JSON Lines file written by 'policykg extract'.")],
    data_dir: DataDir = None,
    store: StoreUri = None,
    user: User = None,
    password: Password = None,
) -> None:
    """Load extraction records (JSON Lines) into the store."""
    opened = _open(_settings(store, data_dir, user, password))
    try:
        _load_and_report(opened, _read_records(records), [])
    finally:
        opened.close()


@app.command()
def delete(
    doc_id: Annotated[str, typer.Argument(help="The document's id (doc:…).")],
    data_dir: DataDir = None,
    store: StoreUri = None,
    user: User = None,
    password: Password = None,
) -> None:
    """Delete a document and every fact only it supported."""
    opened = _open(_settings(store, data_dir, user, password))
    try:
        found = opened.store.delete_document(doc_id)
    finally:
        opened.close()
    if not found:
        err.print(f"no document {doc_id}")
        raise typer.Exit(1)


@app.command()
def analyze(
    top: Annotated[int, typer.Option(help="How many rows per table.")] = 20,
    path: Annotated[
        tuple[str, str] | None,
        typer.Option("--path", help="Also the shortest path between two entities (ids or exact names)."),
    ] = None,
    data_dir: DataDir = None,
    store: StoreUri = None,
    user: User = None,
    password: Password = None,
) -> None:
    """Print graph analytics as JSON: centrality, cities sharing partners, communities."""
    from policykg.graph.analytics import entity_graph, shortest_path, summary

    opened = _open(_settings(store, data_dir, user, password))
    try:
        graph = entity_graph(opened.store)
    finally:
        opened.close()
    result = summary(graph, top=top)
    if path:
        try:
            result["path"] = shortest_path(graph, *path)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--path") from error
    print(json.dumps(result, ensure_ascii=False, indent=1))


@app.command("export")
def export_graph(
    fmt: Annotated[str, typer.Option("--format", "-f", help="ttl, jsonld, graphml or csv (a zip).")],
    doc: Annotated[str | None, typer.Option("--doc", help="Only this document (doc:…).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here, not stdout.")] = None,
    data_dir: DataDir = None,
    store: StoreUri = None,
    user: User = None,
    password: Password = None,
) -> None:
    """Export the graph, or one document's facts, as RDF, GraphML or neo4j-admin CSV."""
    from policykg.export.formats import FORMATS, export
    from policykg.graph.snapshot import DocumentNotFound
    from policykg.graph.stores.protocol import StoreError

    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    opened = _open(_settings(store, data_dir, user, password))
    try:
        content, _, name = export(opened.store, fmt, doc)
    except (StoreError, DocumentNotFound, ValueError) as error:
        err.print(f"[red]cannot export:[/red] {error}")
        raise typer.Exit(1) from error
    finally:
        opened.close()
    if output is None and fmt == "csv" and sys.stdout.isatty():
        output = Path(name)  # a zip is no use on a terminal
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        output.write_bytes(content)
        err.print(f"wrote {output} ({len(content):,} bytes)")


def _serve(opened: OpenedStore, settings: Settings, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    from policykg.api.app import create_app
    from policykg.api.graph_jobs import SettingsOpener
    from policykg.api.serving import answering_to, can_share_port, run_until_stopped, serve_workers, server_config

    if workers > 1 and not can_share_port():
        err.print(f"this platform cannot share a port between processes: serving with one, not {workers}")
        workers = 1
    settings = answering_to(settings, host)
    err.print(f"policykg is serving at [bold]http://{host}:{port}/[/bold]  (Ctrl+C stops)")
    try:
        if workers > 1:  # each worker process opens its own connection from the settings it is handed
            serve_workers(host, port, workers, settings)
        else:
            app = create_app(opened.store, settings.api, SettingsOpener(settings.store))
            run_until_stopped(uvicorn.Server(server_config(app, host, port)))
    finally:
        opened.close()


Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    data_dir: DataDir = None,
    store: StoreUri = None,
    user: User = None,
    password: Password = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes, each with its own store connection (about one per core).")
    ] = 1,
) -> None:
    """Serve the API and the web page."""
    settings = _settings(store, data_dir, user, password)
    _serve(_open(settings), settings, host, port, workers)


@app.command()
def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    data_dir: DataDir = None,
    store: StoreUri = None,
    user: User = None,
    password: Password = None,
) -> None:
    """Ingest the bundled sample documents, then serve the API and the page."""
    settings = _settings(store, data_dir, user, password)
    opened = _open(settings)
    failures: list[Failure] = []
    try:
        _load_and_report(opened, _records(walk([SAMPLES_DIR]), failures), failures)
    except BaseException:  # Ctrl+C while loading: still give the store back
        opened.close()
        raise
    _serve(opened, settings, host, port)


@store_app.command("start")
def store_start(data_dir: DataDir = None) -> None:
    """Start the embedded store (or report the one already running); it runs until 'store stop'."""
    data_dir = _settings(data_dir=data_dir).store.data_dir
    server = EmbeddedServer(data_dir)
    try:
        with server.locked():  # not while a closing command decides to stop it
            address = server.start(on_wait=_say_why_waiting)
    except (EmbeddedServerError, OSError) as error:
        err.print(f"cannot start the store: {error}", style="red", markup=False, highlight=False)
        raise typer.Exit(1) from error
    err.print(f"FalkorDB running for {data_dir}: {address.unix_socket or f'127.0.0.1:{address.port}'}")


@store_app.command("stop")
def store_stop(data_dir: DataDir = None) -> None:
    """Save and stop the embedded store."""
    server = EmbeddedServer(_settings(data_dir=data_dir).store.data_dir)
    with server.locked():
        stopped = server.stop()
    err.print("stopped" if stopped else "not running")


@store_app.command("status")
def store_status(data_dir: DataDir = None) -> None:
    """Say whether the embedded store runs, and what it holds."""
    data_dir = _settings(data_dir=data_dir).store.data_dir
    server = EmbeddedServer(data_dir)
    address = server.address()
    if address is None:
        err.print(f"not running (data in {data_dir})")
        raise typer.Exit(1)
    from policykg.graph.stores.falkordb_store import FalkorDBStore

    print(json.dumps(FalkorDBStore(address.client()).stats(), ensure_ascii=False, indent=1))

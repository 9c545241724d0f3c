"""``imnm index``: build the index of the corpus now, here or as a Ray job (``--ray``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli.common import CorpusOpt, IndexOpt, err, settings_for

if TYPE_CHECKING:
    from assistant.store.index import Index

LOCAL = "local"


def ray_flag_args(args: list[str]) -> list[str]:
    """``--ray`` takes an optional ADDRESS: a bare ``--ray`` (last, or before another option)
    means a local Ray instance. Click has no optional option values, so it is spelt out here."""
    out = list(args)
    for i, arg in enumerate(out):
        if arg == "--ray" and (i + 1 == len(out) or out[i + 1].startswith("-")):
            out[i] = f"--ray={LOCAL}"
    return out


def index_cmd(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    if_stale: Annotated[
        bool, typer.Option("--if-stale", help="Build only when missing, stale or damaged.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Only check that the index is current (exit 1 if not)."),
    ] = False,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="[ADDRESS]",
            help="Read, chunk and embed as a Ray Data job: on this machine with no ADDRESS, on "
            "the cluster at ADDRESS (auto, HOST:6379, ray://HOST:10001). Needs "
            "`pip install 'imnm[ray]'`.",
        ),
    ] = None,
) -> None:
    """Build the index of the corpus now, with progress; name every file not indexed."""
    from assistant.core.errors import IndexStateError
    from assistant.store.embed import shared_embedder
    from assistant.store.index import check_index, ensure_index

    settings = settings_for(corpus, index)
    if check:
        idx = check_index(settings)
        typer.echo(f"index at {idx.directory} is current: {idx.edition.label()}")
        return
    embedder = shared_embedder(settings)
    if ray is None:
        show(ensure_index(
            settings, embedder, rebuild=True, force=not if_stale, progress=True, notify=err
        ))
        return
    from assistant.store.ray_build import build_index_ray, import_ray

    import_ray()  # the missing extra is one line, before anything else happens
    if if_stale:
        try:
            show(ensure_index(settings, embedder, rebuild=False, notify=err))
            return
        except IndexStateError:
            pass
    show(build_index_ray(settings, embedder, None if ray == LOCAL else ray, notify=err))


def show(idx: Index) -> None:
    m = idx.manifest
    typer.echo(
        f"index ready at {idx.directory}: {m['n_chunks']} passages, {m['n_sentences']} sentences "
        f"from {len(m['corpus_files'])} file(s); {idx.edition.label()}"
    )
    if m.get("summary"):
        typer.echo(str(m["summary"]))

"""``imnm chat``: the Gradio app on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def chat(
    host: Annotated[str, typer.Option(help="Address to bind; loopback by default.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 7860,
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Corpus folder.")] = None,
    index: Annotated[Path | None, typer.Option("--index", help="Index folder.")] = None,
) -> None:
    """Open the chat (and quiz) in the browser at http://HOST:PORT."""
    import os

    from assistant.cli.common import err, make_assistant, settings_for
    from assistant.web.chat import launch
    from assistant.web.login import Login

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    settings = settings_for(corpus, index)
    Login(settings)  # a malformed IMNM_AUTH or users file is refused before anything loads
    assistant = make_assistant(corpus, index)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err(f"warning: listening on {host}, reachable from other machines")
    shown = "127.0.0.1" if host == "0.0.0.0" else host
    typer.echo(f"imnm chat: http://{shown}:{port} (Ctrl-C to stop)")
    try:
        launch(assistant, settings, host, port)
    except OSError as exc:
        from assistant.core.errors import InputError

        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc

"""The ``imnm`` command: thin, it parses, calls the library and renders.

Every ImnmError becomes one line on stderr and a non-zero exit; no traceback reaches the user.
Each command group lives in its own module and is registered here, directly.
"""

from __future__ import annotations

import os
import sys

import typer

from assistant.cli import ask, chat, index, quiz, users
from assistant.cli import eval as eval_cmd
from assistant.cli.common import err
from assistant.core.errors import ImnmError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Grounded, cited answers from clinical source texts, with inline citations.",
    pretty_exceptions_enable=False,
)
app.command()(ask.ask)
app.command()(ask.search)
app.command("index")(index.index_cmd)
app.command()(chat.chat)
app.command("eval")(eval_cmd.eval_cmd)
app.add_typer(quiz.quiz_app, name="quiz")
app.add_typer(users.users_app, name="users")


def main() -> None:
    try:
        # Without standalone mode click returns a typer.Exit's code instead of exiting.
        code = app(args=index.ray_flag_args(sys.argv[1:]), standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except ImnmError as exc:
        err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err("interrupted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors and anything unforeseen: one line
        # Usage errors (bad option, unknown command): click's own message and exit code 2.
        show = getattr(exc, "show", None)
        code = getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        if os.environ.get("IMNM_DEBUG"):
            raise
        err(f"internal error: {type(exc).__name__}: {exc} (set IMNM_DEBUG=1 for details)")
        sys.exit(1)


if __name__ == "__main__":
    main()

"""``imnm users``: the accounts of the chat's login (a users file of scrypt hashes).

    imnm users add NAME [--file PATH]      the password from a prompt, or the first stdin line
    imnm users remove NAME [--file PATH]
    imnm users list [--file PATH]

The file is ``IMNM_LOGIN_USERS_FILE`` (``IMNM_DATA_DIR/users.txt`` when unset); the chat signs
people in once ``IMNM_LOGIN_USERS_FILE`` names it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

FileOpt = Annotated[
    Path | None, typer.Option("--file", help="The users file (default: IMNM_LOGIN_USERS_FILE).")
]

users_app = typer.Typer(help="Accounts for the chat's login (passwords stored as scrypt hashes).",
                        no_args_is_help=True)  # fmt: skip


def _users(file: Path | None) -> object:
    from assistant.core.settings import Settings
    from assistant.storage.users import Users

    settings = Settings()
    return Users(file or settings.login.users_file or Path(settings.data_dir) / "users.txt")


def _password() -> str:
    from assistant.core.errors import InputError

    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise InputError("the two passwords differ")
        return first
    line = sys.stdin.buffer.readline() if sys.stdin is not None else b""
    password = line.decode("utf-8", errors="strict").rstrip("\r\n")
    if not password:
        raise InputError("no password: type it at the prompt, or give it as the first stdin line")
    return password


@users_app.command("add")
def add(name: Annotated[str, typer.Argument(help="Account name.")], file: FileOpt = None) -> None:
    """Add an account, or change its password (asked, never taken as an argument)."""
    from assistant.core.settings import Settings
    from assistant.storage.users import Cost, Users, account_key

    account_key(name)  # a bad name is refused before the password is asked
    users = _users(file)
    assert isinstance(users, Users)
    login = Settings().login
    new = users.set(name, _password(), Cost(login.scrypt_log_n, login.scrypt_r, login.scrypt_p))
    typer.echo(f"{'added' if new else 'password changed for'} {name.strip()} in {users.path}")
    if new and Settings().login.users_file is None:
        typer.echo(f"turn the login on with IMNM_LOGIN_USERS_FILE={users.path}")


@users_app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(help="Account name.")], file: FileOpt = None
) -> None:
    """Remove an account (its sessions end; its quiz progress stays in the database)."""
    from assistant.core.errors import InputError
    from assistant.storage.users import Users

    users = _users(file)
    assert isinstance(users, Users)
    if not users.remove(name):
        raise InputError(f"no account {name.strip()!r} in {users.path}")
    typer.echo(f"removed {name.strip()} from {users.path}")


@users_app.command("list")
def list_cmd(file: FileOpt = None) -> None:
    """The account names (never their hashes)."""
    from assistant.storage.users import Users

    users = _users(file)
    assert isinstance(users, Users)
    for shown, _ in users.accounts().values():
        typer.echo(shown)

"""What builders that died leave beside an index folder, cleaned up or put back."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

Notify = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def recover_leftovers(directory: Path, notify: Notify = _quiet) -> None:
    """Clean up after builders that died (killed mid-build); call with the build lock held.

    A ``.NAME.tmp-PID`` folder is a half-written index: removed, never loaded. A ``.NAME.old-PID``
    folder with no ``NAME`` beside it means the builder died between its two renames: the old
    index is put back (it is verified like any other before use).
    """
    parent = directory.resolve().parent
    if not parent.is_dir():
        return
    for kind in ("tmp", "old"):
        for path in sorted(parent.glob(f".{directory.name}.{kind}-*")):
            pid = path.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or int(pid) == os.getpid() or _pid_alive(int(pid)):
                continue
            if kind == "old" and not directory.exists():
                with contextlib.suppress(OSError):
                    os.replace(path, directory)
                    notify(f"restored the index an interrupted build left aside: {path.name}")
                continue  # never delete what may be the only copy
            notify(f"removing what an interrupted index build left: {path.name}")
            shutil.rmtree(path, ignore_errors=True)

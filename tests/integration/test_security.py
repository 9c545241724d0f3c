"""Security: nothing is ever unpickled, the chat listens on loopback by default, secrets stay out
of reprs and messages, and every dependency is pinned in the constraints file `make install` uses.

(The login option and the loopback binding are exercised over real HTTP in tests/test_load.py.)
"""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "assistant"

UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "shelve", "marshal",
                  "joblib"}


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_const(node: ast.expr | None, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def unsafe_loads(source: str, filename: str = "<src>") -> list[str]:
    """Every way ``source`` could deserialize code-carrying data or run strings as code."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names]
            mods = [node.module or ""] if isinstance(node, ast.ImportFrom) else names
            for mod in mods:
                if mod.split(".")[0] in UNSAFE_MODULES:
                    found.append(f"{where}: imports {mod}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
            if name in ("eval", "exec") and not owner:
                found.append(f"{where}: {name}()")
            if name == "load" and owner in ("np", "numpy") and not _is_const(
                _kw(node, "allow_pickle"), False
            ):
                found.append(f"{where}: np.load without allow_pickle=False")
            if name == "load" and owner == "torch" and not _is_const(
                _kw(node, "weights_only"), True
            ):
                found.append(f"{where}: torch.load without weights_only=True")
            if name in ("read_pickle", "from_pickle"):
                found.append(f"{where}: {owner}.{name}")
            if name == "load" and owner == "yaml" and "Safe" not in ast.unparse(node):
                found.append(f"{where}: yaml.load without a SafeLoader")
            if _is_const(_kw(node, "allow_pickle"), True):
                found.append(f"{where}: allow_pickle=True")
            if _is_const(_kw(node, "shell"), True):
                found.append(f"{where}: shell=True")
    return found


def test_the_scanner_catches_each_unsafe_form() -> None:
    bad = """
import pickle
from joblib import load
import numpy as np, torch, yaml, pandas as pd
np.load("x.npy")
np.save(f, a, allow_pickle=True)
torch.load("m.pt")
yaml.load(s)
pd.read_pickle("x")
eval("1")
subprocess.run("ls", shell=True)
"""
    assert len(unsafe_loads(bad)) == 9
    good = """
import numpy as np, torch, yaml
np.load("x.npy", allow_pickle=False)
torch.load("m.pt", weights_only=True)
yaml.load(s, Loader=yaml.SafeLoader)
"""
    assert unsafe_loads(good) == []


def test_no_pickle_loading_anywhere_in_the_package() -> None:
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        for hit in unsafe_loads(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    ]
    assert found == []


def test_index_and_model_files_need_no_pickle() -> None:
    from assistant.store.embed import model_path
    from assistant.store.index import FILES

    index_files = sorted(p.name for p in (REPO / "index").iterdir())
    assert index_files == sorted([*FILES, "manifest.json"])
    vectors = np.load(REPO / "index" / "sentences.npy", allow_pickle=False)
    assert vectors.dtype == np.float32
    weights = {p.suffix for p in model_path().rglob("*") if p.is_file()}
    # sentence-transformers prefers safetensors; with no pickled weights beside it, it must.
    assert ".safetensors" in weights
    assert not weights & {".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt"}


# --- loopback by default ------------------------------------------------------------------------


def test_chat_listens_on_loopback_by_default() -> None:
    import typer

    from assistant.cli.app import app
    from assistant.web.chat import launch

    command = typer.main.get_command(app)
    chat = command.commands["chat"]  # type: ignore[attr-defined]
    host = next(p for p in chat.params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert inspect.signature(launch).parameters["host"].default == "127.0.0.1"
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^HOST \?= 127\.0\.0\.1$", makefile, re.M)
    # Never a public gradio.live tunnel: the app is served by uvicorn on the given host (login
    # routes in front, Gradio mounted), and nothing in the web package asks Gradio for a share.
    from assistant.web import serve

    assert "serve(" in inspect.getsource(launch)
    web = REPO / "assistant" / "web"
    assert not [p for p in web.glob("*.py") if re.search(r"share\s*=\s*True", p.read_text())]
    assert "share" not in inspect.getsource(serve)


# --- secrets ------------------------------------------------------------------------------------


def test_secrets_stay_out_of_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.settings import Settings

    monkeypatch.setenv("IMNM_LLM_API_KEY", "sk-test-TOPSECRET-123")
    monkeypatch.setenv("IMNM_AUTH", "ann:hunter2-pass")
    settings = Settings()
    assert settings.llm.api_key == "sk-test-TOPSECRET-123"  # still usable
    for shown in (repr(settings), str(settings), f"{settings}"):
        assert "TOPSECRET" not in shown and "hunter2" not in shown


def test_bad_auth_setting_message_does_not_echo_it() -> None:
    from assistant.core.errors import InputError
    from assistant.web.chat import parse_auth

    with pytest.raises(InputError) as caught:
        parse_auth("only-a-password-hunter2")
    assert "hunter2" not in str(caught.value)


# --- pinned dependencies ------------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version, f"constraints.txt line is not NAME==VERSION: {line!r}"
            out[_norm(name)] = version
    return out


def declared() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs.extend(extra)
    return [_norm(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in reqs]


def test_every_declared_dependency_is_pinned() -> None:
    pinned = pins()
    missing = [name for name in declared() if name not in pinned]
    assert missing == [], f"add NAME==VERSION lines to constraints.txt for: {missing}"


def test_installed_versions_are_the_pinned_ones() -> None:
    """Every installed distribution (transitive ones too) is pinned, at the version installed."""
    pinned = pins()
    unpinned, differ = [], []
    for dist in metadata.distributions():
        name = _norm(dist.metadata["Name"])
        if name in ("imnm", "pip", "setuptools", "wheel"):
            continue
        if name not in pinned:
            unpinned.append(name)
        elif pinned[name].split("+")[0] != dist.version.split("+")[0]:
            differ.append(f"{name} {dist.version} != {pinned[name]}")
    assert unpinned == [], f"installed but not pinned in constraints.txt: {sorted(unpinned)}"
    assert differ == []


def test_make_install_uses_the_constraints() -> None:
    makefile = (REPO / "Makefile").read_text()
    installs = [
        line for line in makefile.splitlines()
        if re.search(r"\$\(PIP\) install", line) and "--upgrade pip" not in line
    ]  # fmt: skip
    assert installs and all("-c constraints.txt" in line for line in installs), installs
    assert re.search(r"^\$\(STAMP\):.*constraints\.txt", makefile, re.M)  # re-run when it changes

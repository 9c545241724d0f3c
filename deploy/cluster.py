"""A trial deployment on loopback: PostgreSQL on a temp folder, N `imnm chat` replicas, nginx.

    python -m deploy.cluster start [--replicas 3] [--port 8080]   # Ctrl-C stops everything
    python -m deploy.cluster stop                                 # from another terminal

(``make cluster N=3`` and ``make cluster-stop``.) The tests and the bench start the same parts
through ``Postgres``, ``Replica`` and ``Nginx``. Everything listens on 127.0.0.1 only; as root,
PostgreSQL runs as the ``postgres`` user (initdb refuses root) and nginx's workers as
``www-data`` (or ``nobody``), with their folders made under /tmp where those users can reach them.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

DEPLOY = Path(__file__).resolve().parent
REPO = DEPLOY.parent
STATE = REPO / ".cluster" / "state.json"
NGINX_TEMPLATE = DEPLOY / "nginx.conf.template"


class Missing(RuntimeError):
    """A server program is not installed (``make servers`` installs it)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return found[-1]
    which = shutil.which(name)
    if which:
        return which
    raise Missing(f"PostgreSQL's {name} not found (Debian: apt-get install postgresql)")


def nginx_bin() -> str:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise Missing("nginx not found (Debian: apt-get install nginx)")


def _as_user(user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--"] if user else []


def _server_user(names: tuple[str, ...]) -> str | None:
    """The user to run a server as when we are root (None when we are not)."""
    if os.geteuid() != 0:
        return None
    for name in names:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise Missing(f"running as root and none of the users {names} exists")


def _give(folder: Path, user: str | None) -> None:
    if user:
        entry = pwd.getpwnam(user)
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)


class Postgres:
    """A PostgreSQL server of our own: initdb on a temp folder, listening on 127.0.0.1:port."""

    def __init__(self, port: int | None = None, folder: Path | None = None,
                 user: str = "imnm", password: str | None = None, database: str = "imnm") -> None:
        self.port = port or free_port()
        self.folder = folder or Path(tempfile.mkdtemp(prefix="imnm-pg-"))
        self.user = user
        self.password = password or secrets.token_urlsafe(12)
        self.database = database
        self.run_as = _server_user(("postgres",))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"

    @property
    def url(self) -> str:
        return (f"postgresql+psycopg://{self.user}:{self.password}@127.0.0.1:{self.port}/"
                f"{self.database}")

    def _run(self, *args: str, timeout: float = 120) -> None:
        cmd = [*_as_user(self.run_as), *args]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-800:]}")

    def init(self) -> Postgres:
        os.chmod(self.folder, 0o755)
        pwfile = self.folder / "pw"
        pwfile.write_text(self.password + "\n")
        _give(self.folder, self.run_as)
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", self.user, f"--pwfile={pwfile}",
                  "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
                  "--no-instructions", "--no-sync")
        pwfile.unlink()
        return self

    def start(self) -> Postgres:
        if not self.data.exists():
            self.init()
            self._pg_ctl("start")
            self._create_database()
        else:
            self._pg_ctl("start")
        return self

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=300 -c shared_buffers=64MB")
        args = [_pg_bin("pg_ctl"), action, "-D", str(self.data), "-w", "-t", "60", *extra]
        if action in ("start", "restart"):
            args += ["-o", options, "-l", str(self.log)]
        self._run(*args)

    def _create_database(self) -> None:
        self.create(self.database)

    def create(self, name: str) -> str:
        """A new database on this server; returns its URL."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user,
                             password=self.password, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def sql(self, query: str, url: str | None = None) -> list[tuple[Any, ...]]:
        """Rows of one query (psql's job, for tests and checks)."""
        import psycopg

        target = (url or self.url).replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(target, autocommit=True) as conn:
            cur = conn.execute(query)
            return list(cur.fetchall()) if cur.description else []

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(RuntimeError, FileNotFoundError, Missing):
            self._pg_ctl("stop", "-m", mode)

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Replica:
    """One `imnm chat` process on 127.0.0.1:port (its own log file)."""

    def __init__(self, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.env = env
        self.log_path = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> Replica:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli.app", "chat", "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=REPO,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        return self

    def wait(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc is None or self.proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-1500:]
                raise RuntimeError(f"replica on port {self.port} exited:\n{tail}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"replica on port {self.port} did not come up in {timeout} s")
            try:
                urllib.request.urlopen(f"{self.url}config", timeout=5).read()
                return
            except urllib.error.HTTPError:
                return  # it answers (401 without a login): up
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.3)

    def kill(self) -> None:
        """SIGKILL: the way a crashed machine leaves."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class Nginx:
    """nginx in front of the replicas (deploy/nginx.conf.template), in the foreground."""

    def __init__(self, upstreams: list[int], port: int | None = None,
                 folder: Path | None = None) -> None:
        self.upstreams = upstreams
        self.port = port or free_port()
        self.folder = folder or Path(tempfile.mkdtemp(prefix="imnm-nginx-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def config(self) -> str:
        user = _server_user(("www-data", "nobody"))
        servers = "".join(
            f"        server 127.0.0.1:{p} max_fails=0;\n" for p in self.upstreams
        )
        text = NGINX_TEMPLATE.read_text()
        return (text.replace("@@USER@@", f"user {user};" if user else "")
                .replace("@@PREFIX@@", str(self.folder)).replace("@@PORT@@", str(self.port))
                .replace("@@SERVERS@@\n", servers))  # fmt: skip

    def start(self) -> Nginx:
        binary = nginx_bin()
        os.chmod(self.folder, 0o755)
        conf = self.folder / "nginx.conf"
        conf.write_text(self.config())
        test = subprocess.run([binary, "-t", "-q", "-p", str(self.folder), "-c", str(conf)],
                              capture_output=True, text=True, timeout=30)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration: {test.stderr.strip()[-800:]}")
        self.proc = subprocess.Popen(
            [binary, "-p", str(self.folder), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=(self.folder / "stderr.log").open("ab"),
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(
                ("127.0.0.1", self.port), timeout=1
            ):
                return self
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start: " + (self.folder / "error.log").read_text(
                    errors="replace")[-800:] if (self.folder / "error.log").exists() else "")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish the requests under way
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def replica_env(database_url: str, data_dir: Path, extra: dict[str, str] | None = None) -> dict[
    str, str
]:
    """A replica's environment: the caller's, with the shared database and its own data folder."""
    env = dict(os.environ)
    env |= {"IMNM_DATABASE_URL": database_url, "IMNM_DATA_DIR": str(data_dir),
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
            "GRADIO_ANALYTICS_ENABLED": "False", "OMP_NUM_THREADS": "1"}  # fmt: skip
    return env | (extra or {})


class Cluster:
    """PostgreSQL, N replicas and nginx, started in that order and stopped in reverse."""

    def __init__(self, replicas: int = 3, port: int | None = None, folder: Path | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.folder = folder or Path(tempfile.mkdtemp(prefix="imnm-cluster-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.postgres = Postgres()
        self.replicas = [
            Replica(free_port(), {}, self.folder / f"replica{i + 1}.log") for i in range(replicas)
        ]
        self.nginx = Nginx([r.port for r in self.replicas], port)
        self.extra_env = env or {}

    @property
    def url(self) -> str:
        return self.nginx.url

    def start(self) -> Cluster:
        """Start every part; when one fails, what did start is stopped before the error."""
        try:
            self.postgres.start()
            for i, replica in enumerate(self.replicas):
                replica.env = replica_env(self.postgres.url, self.folder / f"data{i + 1}",
                                          self.extra_env)  # fmt: skip
                replica.start()
            for replica in self.replicas:
                replica.wait()
            self.nginx.start()
        except BaseException:
            with contextlib.suppress(Exception):
                self.stop()
            raise
        return self

    def stop(self) -> None:
        """Everything stopped, each part even when stopping another failed: a replica left
        running would hold its port and its database connections after the trial."""
        steps = [self.nginx.remove, *(r.stop for r in self.replicas), self.postgres.remove]
        failed: BaseException | None = None
        for step in steps:
            try:
                step()
            except Exception as exc:  # the rest must still be stopped
                failed = failed or exc
        if failed is not None:
            raise failed

    def state(self) -> dict[str, Any]:
        return {
            "nginx": {"pid": self.nginx.proc.pid if self.nginx.proc else None,
                      "folder": str(self.nginx.folder), "url": self.url},
            "replicas": [r.proc.pid for r in self.replicas if r.proc],
            "postgres": {"folder": str(self.postgres.folder), "data": str(self.postgres.data),
                         "run_as": self.postgres.run_as},
            "folder": str(self.folder),
            "pid": os.getpid(),
        }  # fmt: skip


def _stop_from_state() -> int:
    """Stop what a `start` in another terminal left running (its pids and folders)."""
    if not STATE.exists():
        print("no cluster is running (no .cluster/state.json)")
        return 0
    state = json.loads(STATE.read_text())
    owner = state.get("pid")
    if owner:  # the `start` in the other terminal stops its parts in order, as on Ctrl-C
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(owner), signal.SIGTERM)
            deadline = time.monotonic() + 60
            while STATE.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            if not STATE.exists():
                print("cluster stopped")
                return 0
    pids = [state["nginx"]["pid"], *state["replicas"]]
    for pid in pids:
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGTERM)
    pg = state["postgres"]
    with contextlib.suppress(Exception):
        subprocess.run([*_as_user(pg["run_as"]), _pg_bin("pg_ctl"), "stop", "-D", pg["data"],
                        "-m", "fast", "-w"], capture_output=True, timeout=60)  # fmt: skip
    deadline = time.monotonic() + 20
    for pid in pids:
        while pid and time.monotonic() < deadline:
            try:
                os.kill(int(pid), 0)
                time.sleep(0.2)
            except ProcessLookupError:
                break
    for folder in (state["nginx"]["folder"], pg["data"].rsplit("/data", 1)[0]):
        shutil.rmtree(folder, ignore_errors=True)
    STATE.unlink(missing_ok=True)
    print("cluster stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start PostgreSQL, N replicas and nginx; Ctrl-C stops")
    start.add_argument("--replicas", type=int, default=3)
    start.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1")
    sub.add_parser("stop", help="stop a cluster started in another terminal")
    args = parser.parse_args(argv)
    if args.command == "stop":
        return _stop_from_state()
    if STATE.exists():
        print("a cluster may be running already: `make cluster-stop` first", file=sys.stderr)
        return 1
    cluster = Cluster(args.replicas, args.port, REPO / ".cluster" / "run")
    stopping = False

    def on_signal(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        print(f"starting PostgreSQL, {args.replicas} replicas and nginx ...", flush=True)
        cluster.start()
        STATE.write_text(json.dumps(cluster.state(), indent=2))
        print(f"imnm cluster: {cluster.url} ({args.replicas} replicas: "
              + ", ".join(str(r.port) for r in cluster.replicas)
              + "; database on 127.0.0.1:" + str(cluster.postgres.port)
              + "). Ctrl-C or `make cluster-stop` stops it.", flush=True)  # fmt: skip
        while all(r.proc and r.proc.poll() is None for r in cluster.replicas) and (
            cluster.nginx.proc and cluster.nginx.proc.poll() is None
        ):
            time.sleep(1)
        print("a part of the cluster exited; stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        stopping = True
        return 0
    except (Missing, RuntimeError) as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        cluster.stop()
        STATE.unlink(missing_ok=True)
        if stopping:
            print("cluster stopped")


if __name__ == "__main__":
    sys.exit(main())

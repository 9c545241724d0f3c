"""``python -m bench.deploy``: the chat under load, one process against replicas behind nginx.

    python -m bench.deploy [--sessions 64] [--replicas 3] [--out bench/]

Runs the sessions of ``deploy/load.py`` (3 questions each with follow-ups, one rating, one quiz
answer; login on, one account per 4 sessions) against

1. one ``imnm chat`` process, directly;
2. N replicas behind nginx, PostgreSQL for feedback and progress;
3. the same, with one replica killed (SIGKILL) and PostgreSQL stopped for two seconds mid-load;

and writes ``bench/DEPLOY.md`` and ``bench/deploy.json``: throughput, p50/p95 per question, the
CPU seconds each part used (where the time goes), and the library's own time per question.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))

from deploy.cluster import Cluster, Postgres, Replica, free_port, replica_env  # noqa: E402
from deploy.load import CONVERSATIONS, run_load, stats  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[bench.deploy] {message}", file=sys.stderr, flush=True)


def cpu_of(pids: list[int]) -> float:
    """CPU seconds used so far by these processes and their children (nginx's workers)."""
    total = 0.0
    wanted = set(pids)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid in wanted or ppid in wanted:
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def accounts(folder: Path, n: int) -> tuple[Path, list[tuple[str, str]]]:
    from assistant.storage.users import Users

    users = Users(folder / "users.txt")
    made = [(f"trainee{i:02d}", f"password-trainee-{i:02d}") for i in range(n)]
    for name, password in made:
        users.set(name, password)
    return users.path, made


def measured(url: str, sessions: int, who: list[tuple[str, str]], parts: dict[str, list[int]],
             during: Callable[[], None] | None = None, at: int = 0) -> dict[str, Any]:  # fmt: skip
    before = {name: cpu_of(pids) for name, pids in parts.items()}
    mine = own_cpu()
    plan, wall = run_load(url, sessions, who, during=during, at_question=at)
    result = stats(plan, wall)
    result["cpu_s"] = {name: round(cpu_of(pids) - before[name], 1)
                       for name, pids in parts.items()}  # fmt: skip
    result["cpu_s"]["load clients"] = round(own_cpu() - mine, 1)
    result["write_notices"] = sorted({n[:160] for s in plan for n in s.notices})
    return result


def library_ms() -> dict[str, float]:
    """The library's own time per question (in process, model loaded, warm)."""
    from assistant.answering.pipeline import Assistant
    from assistant.core.settings import Settings
    from assistant.core.types import Turn

    assistant = Assistant(Settings(), rebuild=False)
    times: list[float] = []
    for _ in range(3):
        for questions in CONVERSATIONS:
            history: list[Turn] = []
            for q in questions:
                t0 = time.perf_counter()
                answer = assistant.ask(q, history)
                times.append((time.perf_counter() - t0) * 1000)
                history.append(answer.as_turn())
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}  # fmt: skip


def run(sessions: int, replicas: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="imnm-bench-deploy-"))
    users_file, who = accounts(work, max(1, sessions // 4))
    extra = {"IMNM_LOGIN_USERS_FILE": str(users_file)}
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "when": time.strftime("%Y-%m-%d %H:%M"),
                    "load_before": [round(x, 2) for x in os.getloadavg()]},
        "sessions": sessions, "replicas": replicas,
    }  # fmt: skip
    log("library time per question")
    results["library"] = library_ms()

    log("one process")
    pg = Postgres().start()
    try:
        single = Replica(free_port(), replica_env(pg.create("single"), work / "single", extra),
                         work / "single.log").start()  # fmt: skip
        single.wait()
        assert single.proc is not None
        run_load(single.url, 4, who)  # warm: the model loads on the first question
        results["one_process"] = measured(single.url, sessions, who,
                                          {"replica": [single.proc.pid]})  # fmt: skip
        single.stop()
    finally:
        pg.remove()

    log(f"{replicas} replicas behind nginx")
    cluster = Cluster(replicas, env=extra, folder=work / "cluster").start()
    try:
        pids = {f"replica {i + 1}": [r.proc.pid] for i, r in enumerate(cluster.replicas)
                if r.proc}  # fmt: skip
        assert cluster.nginx.proc is not None
        pids["nginx"] = [cluster.nginx.proc.pid]
        run_load(cluster.url, 4 * replicas, who)  # warm every replica
        results["replicas_nginx"] = measured(cluster.url, sessions, who, pids)

        log("faults: a replica killed, PostgreSQL stopped for 2 s, mid-load")
        events: list[str] = []

        def faults() -> None:
            cluster.replicas[0].kill()
            events.append(f"{time.strftime('%X')} replica 1 killed")
            time.sleep(3)
            cluster.postgres.stop()
            events.append(f"{time.strftime('%X')} PostgreSQL stopped")
            time.sleep(2)
            cluster.postgres.start()
            events.append(f"{time.strftime('%X')} PostgreSQL started")

        live = {k: v for k, v in pids.items() if k != "replica 1"}
        results["faults"] = measured(cluster.url, sessions, who, live, faults,
                                     at=sessions)  # fmt: skip
        results["faults"]["events"] = events
    finally:
        cluster.stop()
    results["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return results


def write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "deploy.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    one, many, bad = results["one_process"], results["replicas_nginx"], results["faults"]
    m = results["machine"]

    def row(name: str, r: dict[str, Any]) -> str:
        return (f"| {name} | {r['questions']} | {r['wall_s']} | {r['questions_per_s']} | "
                f"{r['p50_s']} | {r['p95_s']} | {r['max_s']} | {r['retries']} |")

    def per_session(r: dict[str, Any], *names: str) -> int:
        used = sum(v for k, v in r["cpu_s"].items() if any(k.startswith(n) for n in names))
        return round(1000 * used / r["sessions"])

    def cpu(r: dict[str, Any]) -> str:
        return ", ".join(f"{k} {v} s" for k, v in r["cpu_s"].items())

    lines = [
        "# Deploying for many users: measured",
        "",
        f"Generated by `python -m bench.deploy` on {m['when']}: {m['cpus']} CPUs, Python "
        f"{m['python']}; load average before/after {m['load_before']} / {m['load_after']}. "
        f"{results['sessions']} sessions at once, each 3 questions with follow-ups (sending its "
        "own history), one rating and one quiz answer, signed in (one account per 4 sessions). "
        "Clients, servers and nginx share the same cores. Figures in `bench/deploy.json`.",
        "",
        "| setup | questions | wall s | questions/s | p50 s | p95 s | max s | retries |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        row("one process, direct", one),
        row(f"{results['replicas']} replicas behind nginx, PostgreSQL", many),
        row("same, a replica killed and PostgreSQL stopped 2 s mid-load", bad),
        "",
        f"The library alone answers a question in {results['library']['p50_ms']} ms "
        f"(p95 {results['library']['p95_ms']} ms), in process.",
        "",
        "## Where the time goes (CPU seconds during each run)",
        "",
        f"- one process: {cpu(one)}",
        f"- replicas: {cpu(many)}",
        f"- faults run: {cpu(bad)}",
        "",
        f"Per session the server side spent {per_session(one, 'replica')} ms of CPU in one "
        f"process and {per_session(many, 'replica', 'nginx')} ms across replicas and nginx, of "
        f"which answering its 3 questions is about {3 * results['library']['p50_ms']:.0f} ms. "
        "The rest: signing in (scrypt, about 45 ms by design), Gradio's queue and event stream "
        "per call, the history each question carries, the rating, and the quiz item and answer "
        "(each answer draws the progress chart, about 60 ms). The load clients (gradio_client, "
        f"all in one process) spent {per_session(many, 'load clients')} ms per session: more "
        "than the servers. On 2 cores, with other work on the machine too, the wall time is "
        "waiting for a core, not answering; one process also keeps its Python to one core at "
        "a time (the GIL), which replicas do not.",
        "",
        "## The faults run",
        "",
        *[f"- {e}" for e in bad.get("events", [])],
        f"- one-line notices the clients saw on writes (then sent again): "
        f"{len(bad['write_notices'])} kinds",
        *[f"  - `{n}`" for n in bad["write_notices"]],
        "",
    ]
    (out / "DEPLOY.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.deploy", description=__doc__.split(
        "\n")[0])  # fmt: skip
    parser.add_argument("--sessions", type=int, default=64)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH_DIR)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    results = run(args.sessions, args.replicas)
    write(results, args.out)
    for key in ("one_process", "replicas_nginx", "faults"):
        log(f"{key}: {json.dumps({k: v for k, v in results[key].items() if k != 'write_notices'})}")
    log(f"wrote {args.out / 'DEPLOY.md'}")


if __name__ == "__main__":
    main()

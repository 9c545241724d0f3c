"""Three `imnm chat` replicas behind nginx, feedback and progress in PostgreSQL, login per account;
everything started here on loopback (deploy/cluster.py, as `make cluster` does).

- Two accounts over HTTP: the second can neither read nor change the first's progress.
- 64 sessions at once, 3 questions each with follow-ups, one rating and one quiz answer each:
  every answer equals the library's for that conversation; every rating and quiz answer is stored
  exactly once.
- The same with one replica killed (SIGKILL) and PostgreSQL stopped for two seconds mid-load:
  clients retrying through nginx get their answers (follow-ups included, read on the replica
  that took the session over), a write while the database is down gets one line, the writes after
  it succeed, and nothing stored is lost or doubled.
- A replica never closes a connection nginx may reuse: not after a response it sent complete
  (the event stream of a session it does not hold), and not when idle (nginx closes first). A
  request nginx sends on a connection the replica is closing is reset and resent to another
  replica: a queue/join so moved made its job where the session's event stream was not.

Throughput and p50/p95 are printed and written to a JSON file; no timing is asserted
(`python -m bench.deploy` measures them against one process, in bench/DEPLOY.md).
"""

from __future__ import annotations

import json
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import h11
import httpx
import pytest

from assistant.answering.pipeline import Assistant
from assistant.storage.users import Users
from assistant.web.chat import escape
from deploy.cluster import Cluster, Missing
from deploy.load import (
    CONVERSATIONS,
    Caller,
    GradioHTTP,
    Session,
    library_answers,
    message,
    run_load,
    stats,
)

SESSIONS = 64
ACCOUNTS = [(f"trainee{i:02d}", f"password-trainee-{i:02d}") for i in range(SESSIONS // 4)]


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory,
    nginx: str,
    need_server: Callable[[str, Exception], None],
) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("cluster")
    users = Users(root / "users.txt")
    for name, password in ACCOUNTS:
        users.set(name, password)
    running = Cluster(3, env={"IMNM_LOGIN_USERS_FILE": str(users.path)}, folder=root / "run")
    try:
        running.start()
    except Missing as exc:
        running.stop()
        need_server("PostgreSQL or nginx", exc)
    try:
        yield running
    finally:
        running.stop()
    logs = "".join(p.read_text(errors="replace") for p in (root / "run").glob("*.log"))
    assert running.postgres.password not in logs  # never in a replica's log
    assert "password-trainee" not in logs


@pytest.fixture(scope="module")
def expected(assistant: Assistant) -> list[list[str]]:
    """What the library answers for each conversation, turn by turn, with its own history."""
    out = library_answers(assistant, CONVERSATIONS)
    # The follow-ups really depend on their history: the same "Why?" gets different answers in
    # different conversations, and no two conversations read alike, so a session handed another's
    # history would show.
    assert len({texts[2] for texts in out}) >= 2
    assert len({tuple(texts) for texts in out}) == len(CONVERSATIONS)
    return out


def client(url: str, account: tuple[str, str] | None) -> GradioHTTP:
    """The browser's protocol, one event stream per call. gradio_client keeps one stream per
    client and cancels a job whose stream the server closed as the job was joining (more likely
    behind nginx), which made this file fail now and then with nothing wrong on the server."""
    return GradioHTTP(url, account, timeout=60)


def rows(cluster: Cluster, query: str) -> list[tuple[Any, ...]]:
    return cluster.postgres.sql(query)


def check_run(cluster: Cluster, plan: list[Session], expected: list[list[str]]) -> None:
    """Every answer right, every rating and quiz answer stored exactly once, with its account."""
    wrong = []
    for s in plan:
        want = expected[s.number % len(CONVERSATIONS)]
        for turn, reply in enumerate(s.replies):
            if not reply.startswith(escape(want[turn])):
                wrong.append(f"session {s.number} turn {turn}: {reply[:100]!r}")
        assert s.rating.startswith("Thanks"), (s.number, s.rating)
        assert "Saved." in s.quiz_reply, (s.number, s.quiz_reply[:200])
    assert wrong == [], "\n".join(wrong)
    hashes = "','".join(s.session_hash for s in plan)
    ratings = rows(cluster, "SELECT session, account, count(*) FROM feedback "
                            f"WHERE session IN ('{hashes}') GROUP BY session, account")  # fmt: skip
    want_accounts = {s.session_hash: s.account[0] if s.account else "" for s in plan}
    assert sorted((r[0], r[1], r[2]) for r in ratings) == sorted(
        (h, a, 1) for h, a in want_accounts.items()
    )
    answers = rows(cluster, "SELECT session, learner, count(*) FROM answers "
                            f"WHERE session IN ('{hashes}') GROUP BY session, learner")  # fmt: skip
    assert sorted((r[0], r[1], r[2]) for r in answers) == sorted(
        (h, a, 1) for h, a in want_accounts.items()
    )


def report(plan: list[Session], wall: float, name: str, tmp_path: Path) -> dict[str, Any]:
    figures = stats(plan, wall)
    (tmp_path / f"{name}.json").write_text(json.dumps(figures, indent=2))
    print(f"\n{name}: {json.dumps(figures)}")
    return figures


def test_two_accounts_cannot_read_or_change_each_others_progress(cluster: Cluster) -> None:
    with pytest.raises(ValueError, match="credentials"):
        client(cluster.url, None).predict("What dose?", [], api_name="/chat")
    with pytest.raises(ValueError):
        client(cluster.url, (ACCOUNTS[0][0], "not-the-password"))
    ann_name, bob_name = ACCOUNTS[0][0], ACCOUNTS[1][0]
    ann, bob = client(cluster.url, ACCOUNTS[0]), client(cluster.url, ACCOUNTS[1])

    item, problem = ann.predict("", "all topics", api_name="/quiz_next")
    assert item.startswith("**Item 1**") and problem == ""
    feedback, summary, _, _ = ann.predict("", "IVIG", api_name="/quiz_submit")
    assert "Saved." in feedback and f"**{ann_name}**: 1 answer," in summary
    # The account's own name, in any case, is fine.
    summary, _ = ann.predict(ann_name.upper(), api_name="/quiz_progress")
    assert f"**{ann_name}**: 1 answer," in summary

    # bob asks for ann's progress, to answer in her name, to be given her next item: refused.
    summary, chart = bob.predict(ann_name, api_name="/quiz_progress")
    assert f"signed in as {bob_name}" in summary and "another account" in summary
    assert chart is None and "1 answer," not in summary
    feedback, summary, _, _ = bob.predict(ann_name, "IVIG", api_name="/quiz_submit")
    assert "**Error:**" in feedback and f"signed in as {bob_name}" in feedback
    item, problem = bob.predict(ann_name, "all topics", api_name="/quiz_next")
    assert item == "" and "another account" in problem
    summary, _ = bob.predict("", api_name="/quiz_progress")
    assert f"**{bob_name}**: 0 answers" in summary
    assert rows(cluster, "SELECT learner, count(*) FROM answers WHERE learner IN "
                         f"('{ann_name}', '{bob_name}') GROUP BY learner") == [(ann_name, 1)]
    # Ratings record who gave them.
    reply = ann.predict("What is the first-line treatment for IMNM?", [], api_name="/chat")
    history = [message("user", "What is the first-line treatment for IMNM?"),
               message("assistant", reply)]
    assert ann.predict(1, False, history, api_name="/rate").startswith("Thanks")
    assert rows(cluster, f"SELECT rating FROM feedback WHERE account = '{ann_name}'") == [(-1,)]


def test_64_sessions_through_nginx_over_3_replicas(
    cluster: Cluster, expected: list[list[str]], tmp_path: Path
) -> None:
    run_load(cluster.url, 6, ACCOUNTS)  # every replica loads its model before the clock runs
    plan, wall = run_load(cluster.url, SESSIONS, ACCOUNTS)
    check_run(cluster, plan, expected)
    figures = report(plan, wall, "cluster", tmp_path)
    assert figures["questions"] == SESSIONS * 3


def test_a_replica_killed_and_postgres_stopped_mid_load(
    cluster: Cluster, expected: list[list[str]], tmp_path: Path
) -> None:
    killed = cluster.replicas[0]
    # A client of its own, sent again on a failure like the load's (its replica may be the one
    # killed).
    probe = Caller(cluster.url, Session(-1, [], account=ACCOUNTS[0]), retries=6, timeout=60)
    probe.connect()
    reply = probe.call("What is a poor prognostic factor?", [], api_name="/chat")
    history = [message("user", "What is a poor prognostic factor?"), message("assistant", reply)]
    seen: dict[str, Any] = {}

    def faults() -> None:
        try:
            killed.kill()
            time.sleep(3)
            cluster.postgres.stop()
            try:
                # A write while the database is down: one line, nothing stored.
                seen["down"] = probe.call(1, True, history, api_name="/rate")
            finally:
                time.sleep(1)
                cluster.postgres.start()
            seen["after"] = probe.call(1, True, history, api_name="/rate")
        except Exception as exc:  # said in the assertions below
            seen["error"] = repr(exc)

    plan, wall = run_load(cluster.url, SESSIONS, ACCOUNTS, during=faults,
                          at_question=SESSIONS)  # fmt: skip
    try:
        check_run(cluster, plan, expected)
        assert "down" in seen and "after" in seen, seen
        down, after = seen["down"], seen["after"]
        assert down.startswith("⚠️ feedback not saved") and "not reachable" in down
        assert "\n" not in down and cluster.postgres.password not in down
        assert after.startswith("Thanks")
        assert rows(cluster, "SELECT count(*) FROM feedback WHERE session = "
                             f"'{probe.session.session_hash}'") == [(1,)]  # fmt: skip
        # Sessions kept on the killed replica went on elsewhere, and their follow-ups (checked
        # above) were read right there.
        moved = replicas_by_route(cluster, killed.port)
        assert moved, "no session was on the killed replica"
        figures = report(plan, wall, "cluster-faults", tmp_path)
        figures["moved_sessions"] = len(moved)
        print(f"sessions moved off the killed replica: {len(moved)}; "
              f"one-line notices on writes: {sorted({n for s in plan for n in s.notices})[:3]}")
    finally:
        killed.start().wait()  # back for whatever runs next


def replicas_by_route(cluster: Cluster, killed_port: int) -> list[str]:
    """The sessions (nginx cookies) served by the killed replica and then by another."""
    seen: dict[str, set[str]] = {}
    for line in (cluster.nginx.folder / "access.log").read_text().splitlines():
        route = re.search(r"route=(\S+)", line)
        upstream = re.search(r"upstream=(\S+)", line)
        if route and upstream and "queue/join" in line:
            seen.setdefault(route.group(1), set()).update(upstream.group(1).split(","))
    return [r for r, ups in seen.items()
            if f"127.0.0.1:{killed_port}" in ups and len(ups) > 1]  # fmt: skip


TCP_STATES = {"01": "ESTABLISHED", "04": "FIN_WAIT1", "05": "FIN_WAIT2", "06": "TIME_WAIT",
              "08": "CLOSE_WAIT", "09": "LAST_ACK"}  # fmt: skip


def loopback_tcp() -> dict[tuple[int, int], str]:
    """(local port, remote port) -> state of every TCP socket between 127.0.0.1 ports."""
    out: dict[tuple[int, int], str] = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_ip, local_port = fields[1].split(":")
        remote_ip, remote_port = fields[2].split(":")
        if local_ip == remote_ip == "0100007F":
            state = TCP_STATES.get(fields[3], fields[3])
            out[(int(local_port, 16), int(remote_port, 16))] = state
    return out


def test_nginx_closes_an_idle_replica_connection_before_the_replica_does(cluster: Cluster) -> None:
    """A replica drops a keep-alive connection idle for 30 s (uvicorn's timeout_keep_alive in
    assistant/web/serve.py). nginx's own limit must be shorter (keepalive_timeout in the
    template; nginx's default is 60 s). Otherwise, now and then, nginx sends a request on a
    connection the replica is closing at that instant, gets a reset and resends the request to the
    next replica on the ring: a queue/join so moved makes its job on one replica while the
    session's event stream stays on its own, which streams heartbeats until the client gives up.
    Who closed a connection first shows afterwards: that side is left in TIME_WAIT."""
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux's /proc/net/tcp")
    replicas = {r.port for r in cluster.replicas}
    trainee = client(cluster.url, ACCOUNTS[4])
    trainee.predict("What is the first-line treatment for IMNM?", [], api_name="/chat")
    trainee.close()
    # Requests at once leave idle connections in nginx's cache (without the route cookie they
    # go to every replica; not signed in, each is a short 401).
    with httpx.Client(base_url=cluster.url, timeout=30) as http, ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda _: http.get("config").status_code, range(18)))
    assert set(codes) == {401}
    opened = [(server, peer) for (server, peer), state in loopback_tcp().items()
              if server in replicas and state == "ESTABLISHED"]  # fmt: skip
    assert opened, "no connection from nginx to a replica"
    deadline = time.monotonic() + 50  # past the replica's 30 s: one side has closed each by then
    while True:
        now = loopback_tcp()
        open_ = [c for c in opened if "ESTABLISHED" in (now.get(c), now.get(c[::-1]))]
        if not open_ or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    closing = ("FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT")
    by_replica = [c for c in opened if now.get(c) in closing]
    by_nginx = [c for c in opened if now.get(c[::-1]) in closing]
    assert open_ == [], f"{len(open_)} idle connections to replicas still open after 50 s"
    assert by_replica == [], (
        f"{len(by_replica)} of {len(opened)} idle connections were closed by the replica, "
        f"{len(by_nginx)} by nginx: nginx's keepalive_timeout must be shorter than the replica's"
    )
    assert by_nginx


def test_a_replica_does_not_close_a_connection_after_a_response_it_sent_complete(
    cluster: Cluster,
) -> None:
    """The first request a session moved off a failed replica may send to its new one: the event
    stream of a session that replica does not hold. Gradio cuts it off (404 once streaming).
    The response must then stay cut off: ended as complete (as Starlette's BaseHTTPMiddleware
    did) and the connection closed right after, it was a connection nginx had taken back as
    reusable; the next request sent on it was reset and resent to another replica, and a
    queue/join so moved made its job where the session's event stream was not (one question
    waited 60-76 s in the faults run of bench.deploy)."""
    replica = cluster.replicas[1]
    name, password = ACCOUNTS[5]
    signed_in = httpx.post(f"{replica.url}login", data={"username": name, "password": password})
    signed_in.raise_for_status()
    cookie = signed_in.cookies["imnm-login"]
    client_side = h11.Connection(h11.CLIENT)
    request = h11.Request(
        method="GET", target=f"/gradio_api/queue/data?session_hash={uuid.uuid4().hex}",
        headers=[("Host", f"127.0.0.1:{replica.port}"), ("Cookie", f"imnm-login={cookie}")],
    )  # fmt: skip
    received = b""
    closed = False
    with socket.create_connection(("127.0.0.1", replica.port), timeout=3) as sock:
        sock.sendall(client_side.send(request) + client_side.send(h11.EndOfMessage()))
        try:
            while chunk := sock.recv(65536):
                received += chunk
            closed = True
        except TimeoutError:  # open and quiet: what a complete response must leave
            pass
    client_side.receive_data(received)
    if closed:
        client_side.receive_data(b"")
    events: list[Any] = []
    try:
        while (event := client_side.next_event()) not in (h11.NEED_DATA, h11.PAUSED):
            events.append(event)
            if isinstance(event, h11.ConnectionClosed):
                break
    except h11.RemoteProtocolError:  # closed mid-response: cut off, as it should be
        events.append("cut off")
    assert isinstance(events[0], h11.Response) and events[0].status_code == 200, events[:1]
    assert b"session_not_found" in received  # the stream of a session this replica does not hold
    complete = any(isinstance(e, h11.EndOfMessage) for e in events)
    assert not (complete and closed), (
        "the replica sent the response complete, then closed the connection: nginx may send the "
        "next request on it and resend that one to another replica"
    )


def test_a_quiz_answer_is_taken_by_another_replica_when_its_own_died(cluster: Cluster) -> None:
    """The page's quiz state lives in one process: the item asked is noted in the database, so
    the replica taking over grades the answer to it; sent again, it is stored once."""
    account = ACCOUNTS[2]
    trainee = client(cluster.url, account)
    item, _ = trainee.predict("", "all topics", api_name="/quiz_next")
    named = re.search(r"`([^`]+)`", item)
    assert named is not None
    item_id = named.group(1).replace("\\", "")  # shown Markdown-escaped
    route = str(trainee.cookies["imnm_route"])
    served = [line for line in (cluster.nginx.folder / "access.log").read_text().splitlines()
              if f"route={route}" in line and "queue/join" in line]  # fmt: skip
    found = re.search(r"upstream=127\.0\.0\.1:(\d+)", served[-1])
    assert found is not None
    port = int(found.group(1))
    home = next(r for r in cluster.replicas if r.port == port)
    home.kill()
    try:
        feedback, _, _, _ = trainee.predict("", "prednisone", api_name="/quiz_submit")
        assert "Saved." in feedback, feedback[:300]
        again, _, _, _ = trainee.predict("", "prednisone", api_name="/quiz_submit")
        assert "Saved." in again  # the same ticket: shown again, not stored again
        other, _, _, _ = trainee.predict("", "IVIG", api_name="/quiz_submit")
        assert "Next item" in other  # another answer to an answered item: refused
        stored = rows(cluster, "SELECT item_id FROM answers WHERE session = "
                               f"'{trainee.session_hash}'")  # fmt: skip
        assert stored == [(item_id,)]
    finally:
        home.start().wait()

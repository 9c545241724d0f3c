"""Index faults: damaged or missing files, manifests that do not fit, a corpus that changes under a
running assistant, a build killed with SIGKILL, and a stale index in a folder that is read-only.

The real index is built once for the module; each test works on its own copy under tmp_path.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.answering.pipeline import Assistant
from assistant.core.errors import CorpusError, IndexStateError
from assistant.core.settings import Settings
from assistant.ingest.corpus import load_corpus
from assistant.store.embed import Embedder
from assistant.store.index import FILES, ensure_index, expected_manifest, load_index

REPO = Path(__file__).resolve().parents[2]
IMNM = [sys.executable, "-m", "assistant.cli.app"]
ALL_FILES = (*FILES, "manifest.json")
FIRST_LINE_Q = "What is the first-line treatment for IMNM?"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A corpus copy and its freshly built index (built once for the whole module)."""
    root = tmp_path_factory.mktemp("built")
    (root / "corpus").mkdir()
    shutil.copy(REPO / "corpus" / "imnm.md", root / "corpus" / "imnm.md")
    shutil.copy(REPO / "corpus" / "domain.toml", root / "corpus" / "domain.toml")
    ensure_index(Settings(corpus=root / "corpus", index=root / "idx"), embedder)
    return root


@pytest.fixture
def work(built: Path, tmp_path: Path) -> Settings:
    """This test's own copy of the corpus and the built index."""
    shutil.copytree(built / "corpus", tmp_path / "corpus")
    shutil.copytree(built / "idx", tmp_path / "idx")
    return Settings(corpus=tmp_path / "corpus", index=tmp_path / "idx")


def expected_for(settings: Settings) -> dict[str, Any]:
    return expected_manifest(load_corpus(settings.corpus), settings)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def one_line(message: str) -> bool:
    return "\n" not in message and "Traceback" not in message and 0 < len(message) < 2000


def damage(path: Path, how: str) -> None:
    if how == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "flip":
        data = bytearray(path.read_bytes())
        for at in (len(data) // 3, len(data) // 2, len(data) - 2):
            data[at] ^= 0xFF
        path.write_bytes(bytes(data))
    elif how == "missing":
        path.unlink()
    else:
        raise AssertionError(how)


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMNM_")}
    return env | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


# --- damaged, truncated, missing files ----------------------------------------------------------


@pytest.mark.parametrize("how", ["truncate", "empty", "flip", "missing"])
@pytest.mark.parametrize("name", ALL_FILES)
def test_damaged_index_file_is_refused_with_one_line(work: Settings, name: str, how: str) -> None:
    index_dir = work.index_dir()
    damage(index_dir / name, how)
    with pytest.raises(IndexStateError) as caught:
        load_index(index_dir, expected_for(work))
    assert one_line(str(caught.value))
    # The message names what is wrong: the file, or the manifest that describes the files.
    assert name in str(caught.value) or "manifest" in str(caught.value)
    with pytest.raises(IndexStateError, match="run `imnm index` to rebuild it"):
        ensure_index(work, Embedder(), rebuild=False)


@pytest.mark.parametrize(
    ("name", "how"),
    [("docstore.json", "flip"), ("chunks.faiss", "truncate"), ("sentences.npy", "missing"),
     ("manifest.json", "empty")],
)
def test_damaged_index_is_rebuilt_and_answers(
    work: Settings, embedder: Embedder, name: str, how: str
) -> None:
    damage(work.index_dir() / name, how)
    notes: list[str] = []
    assistant = Assistant(work, embedder=embedder, notify=notes.append)
    assert any("building the index" in n for n in notes), notes
    answer = assistant.ask(FIRST_LINE_Q)
    assert "prednisone" in answer.answer and answer.citations
    load_index(work.index_dir(), expected_for(work))  # what was written verifies


def rewrite_with_checksum(index_dir: Path, name: str, data: bytes) -> None:
    """Replace a file and record its new checksum, as if the damage happened before hashing."""
    (index_dir / name).write_bytes(data)
    manifest = json.loads((index_dir / "manifest.json").read_text())
    manifest["files"][name] = hashlib.sha256(data).hexdigest()
    (index_dir / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("docstore.json", b"{not json"),
        ("docstore.json", b'{"chunks": [{"chunk_id": 1}]}'),
        ("docstore.json", b'{"chunks": []}'),
        ("chunks.faiss", b"\x00" * 64),
        ("sentences.npy", b"\x93NUMPY garbage"),
    ],
    ids=["docstore-not-json", "docstore-bad-chunk", "docstore-count", "faiss-garbage",
         "npy-garbage"],
)
def test_damage_behind_a_valid_checksum_is_still_refused(
    work: Settings, name: str, payload: bytes
) -> None:
    rewrite_with_checksum(work.index_dir(), name, payload)
    with pytest.raises(IndexStateError, match="damaged") as caught:
        load_index(work.index_dir(), expected_for(work))
    assert one_line(str(caught.value))


# --- manifests that do not fit ------------------------------------------------------------------


MANIFEST_EDITS = {
    "corpus hash": (lambda m: m | {"corpus_hash": "0" * 64}, "stale: corpus changed"),
    "model": (
        lambda m: m | {"model": "sentence-transformers/other@x==1"},
        "stale: embedding model changed",
    ),
    "format version": (lambda m: m | {"format_version": 999}, "stale: index format changed"),
    "chunking": (
        lambda m: m | {"chunking": {"max_chars": 1, "chunker_version": 0}},
        "stale: chunking settings changed",
    ),
    "no file list": (lambda m: {k: v for k, v in m.items() if k != "files"}, "manifest is damaged"),
    "extra file": (
        lambda m: m | {"files": m["files"] | {"evil.pkl": "0" * 64}},
        "manifest is damaged",
    ),
    "not an object": (lambda m: [m], "manifest is damaged"),
}


@pytest.mark.parametrize("edit", list(MANIFEST_EDITS))
def test_manifest_that_does_not_fit_is_refused(work: Settings, edit: str) -> None:
    change, message = MANIFEST_EDITS[edit]
    path = work.index_dir() / "manifest.json"
    path.write_text(json.dumps(change(json.loads(path.read_text()))))
    with pytest.raises(IndexStateError, match=message) as caught:
        load_index(work.index_dir(), expected_for(work))
    assert one_line(str(caught.value))


def test_manifest_invalid_json_is_refused_then_rebuilt(work: Settings, embedder: Embedder) -> None:
    (work.index_dir() / "manifest.json").write_text('{"format_version": 1, "files": ')
    with pytest.raises(IndexStateError, match="manifest is damaged"):
        load_index(work.index_dir())
    notes: list[str] = []
    index = ensure_index(work, embedder, notify=notes.append)
    assert any("manifest is damaged" in n for n in notes)
    assert index.manifest["n_chunks"] == len(index.chunks)


def test_edited_model_in_manifest_triggers_a_rebuild(work: Settings, embedder: Embedder) -> None:
    path = work.index_dir() / "manifest.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | {"model": "some/other-model"}))
    notes: list[str] = []
    index = ensure_index(work, embedder, notify=notes.append)
    assert any("embedding model changed" in n for n in notes)
    assert "all-MiniLM-L6-v2" in index.manifest["model"]


# --- the corpus changes while an assistant is running -------------------------------------------

STATIN_FACT = (
    "# Statin exposure\n\nAnti-HMGCR necrotizing myopathy is strongly associated with prior "
    "statin exposure.\n"
)
STATIN_Q = "Is anti-HMGCR necrotizing myopathy associated with statin exposure?"


def test_refresh_picks_up_an_added_file(work: Settings, embedder: Embedder) -> None:
    assistant = Assistant(work, embedder=embedder)
    before = assistant.ask(STATIN_Q)
    assert all(c.source != "extra.md" for c in before.citations)
    assert assistant.refresh() is False  # nothing changed: no rebuild

    (work.corpus / "extra.md").write_text(STATIN_FACT)
    assert assistant.refresh() is True
    after = assistant.ask(STATIN_Q)
    assert any(c.source == "extra.md" and "statin" in c.quote for c in after.citations), after
    assert assistant.refresh() is False
    # The rebuilt index is on disk, fresh: a new process would load it without rebuilding.
    load_index(work.index_dir(), expected_for(work))


def test_stale_index_is_never_used_silently(work: Settings, embedder: Embedder) -> None:
    assistant = Assistant(work, embedder=embedder, rebuild=False)
    (work.corpus / "extra.md").write_text(STATIN_FACT)
    # Asked to check, an assistant that may not rebuild says so in one line...
    with pytest.raises(IndexStateError) as caught:
        assistant.refresh()
    assert "stale: corpus changed" in str(caught.value) and "imnm index" in str(caught.value)
    assert one_line(str(caught.value))
    # ...and a new one refuses to start on the stale index.
    with pytest.raises(IndexStateError, match="stale: corpus changed"):
        Assistant(work, embedder=embedder, rebuild=False)
    # The running one keeps answering from the index it loaded, consistently.
    answer = assistant.ask(FIRST_LINE_Q)
    assert "prednisone" in answer.answer
    assert all(c.source == "imnm.md" for c in answer.citations)


def test_corpus_removed_while_running_is_one_line_and_keeps_serving(
    work: Settings, embedder: Embedder
) -> None:
    assistant = Assistant(work, embedder=embedder)
    shutil.rmtree(work.corpus)
    with pytest.raises(CorpusError, match="corpus folder not found") as caught:
        assistant.refresh()
    assert one_line(str(caught.value))
    assert "prednisone" in assistant.ask(FIRST_LINE_Q).answer
    assert sorted(p.name for p in work.index_dir().iterdir()) == sorted(ALL_FILES)


def test_index_swapped_mid_question_gives_a_consistent_answer(
    work: Settings, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """refresh() landing between retrieval and answering must not mix two indexes."""
    assistant = Assistant(work, embedder=embedder)
    old_texts = {c.chunk_id: c.text for c in assistant.index.chunks}
    old_search = assistant.searcher.search
    (work.corpus / "imnm.md").write_text("# Other\n\nDermatomyositis shows a heliotrope rash.\n")

    def search_then_swap(*args: Any, **kwargs: Any) -> Any:
        hits = old_search(*args, **kwargs)
        assert assistant.refresh() is True  # the new index is in place before answering
        return hits

    monkeypatch.setattr(assistant.searcher, "search", search_then_swap)
    answer = assistant.ask(FIRST_LINE_Q)
    assert "prednisone" in answer.answer and answer.citations
    for c in answer.citations:
        assert old_texts[c.chunk_id] == c.text and c.quote.split(" ")[0] in c.text
    # The next question sees the new index.
    monkeypatch.undo()
    later = assistant.ask("What rash does dermatomyositis show?")
    assert "heliotrope" in later.answer


# --- a build killed half-way --------------------------------------------------------------------


def dead_pid() -> int:
    """The pid of a process that has exited (a builder that was killed)."""
    probe = subprocess.Popen(["true"])
    probe.wait()
    return probe.pid


def big_corpus(folder: Path, copies: int) -> None:
    folder.mkdir()
    text = (REPO / "corpus" / "imnm.md").read_text()
    for i in range(copies):
        (folder / f"part{i:02d}.md").write_text(text.replace("IMNM", f"IMNM variant {i}"))


def read_chunks(stream: Any, out: queue.Queue[str]) -> None:
    # Raw reads, not lines: a progress bar redraws with carriage returns.
    for raw in iter(lambda: os.read(stream.fileno(), 4096), b""):
        out.put(raw.decode("utf-8", "replace"))


def test_sigkill_during_build_leaves_the_old_index_loadable(
    work: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    index_dir = work.index_dir()
    before = digests(index_dir)
    small_expected = expected_for(work)
    # Big enough that embedding takes far longer than the moment we wait before killing.
    big_corpus(tmp_path / "big", copies=40)
    proc = subprocess.Popen(
        [*IMNM, "index", "--corpus", str(tmp_path / "big"), "--index", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Vectors cached by an earlier run would leave nothing to embed, nothing to kill.
        env=clean_env() | {"IMNM_EMBED_VECTOR_CACHE": "false"},
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=read_chunks, args=(proc.stderr, lines), daemon=True).start()
    deadline = time.monotonic() + 180
    seen = ""
    try:
        # The progress bar of the passage embeddings: the model is loaded, embedding is under way.
        while "Batches" not in seen:
            assert proc.poll() is None, f"the build ended before it could be killed: {seen}"
            assert time.monotonic() < deadline, "no build progress in time"
            try:
                seen += lines.get(timeout=1)
            except queue.Empty:
                continue
        time.sleep(1.0)
        assert proc.poll() is None, "the build finished before the kill: make the corpus bigger"
        proc.send_signal(signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    # The index in place is exactly the old one, and it loads; nothing half-written is used.
    assert digests(index_dir) == before
    old = load_index(index_dir, small_expected)
    assert old.manifest["n_chunks"] == len(old.chunks)
    big = Settings(corpus=tmp_path / "big", index=index_dir)
    with pytest.raises(IndexStateError, match="stale: corpus changed"):
        ensure_index(big, embedder, rebuild=False)
    # The dead builder's lock is gone: the next build runs, and leaves nothing behind.
    notes: list[str] = []
    ensure_index(work, embedder, force=True, notify=notes.append)
    assert not list(tmp_path.glob(".idx.*-*")), list(tmp_path.iterdir())


def test_half_written_build_folder_is_never_loaded_and_is_cleaned(
    work: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    """The state a builder killed while writing leaves: a partial ``.idx.tmp-PID`` folder."""
    pid = dead_pid()
    partial = tmp_path / f".idx.tmp-{pid}"
    shutil.copytree(work.index_dir(), partial)
    damage(partial / "chunks.faiss", "truncate")
    (partial / "manifest.json").unlink()
    (work.corpus / "extra.md").write_text(STATIN_FACT)  # so that a rebuild is due

    notes: list[str] = []
    index = ensure_index(work, embedder, notify=notes.append)
    assert any(c.source == "extra.md" for c in index.chunks)
    assert any(f".idx.tmp-{pid}" in n for n in notes), notes
    assert not partial.exists()
    load_index(work.index_dir(), expected_for(work))


def test_builder_killed_between_its_renames_is_recovered(
    work: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    """Killed after moving the old index aside, before moving the new one in: no index in place."""
    pid = dead_pid()
    os.replace(work.index_dir(), tmp_path / f".idx.old-{pid}")
    notes: list[str] = []
    index = ensure_index(work, embedder, notify=notes.append)
    assert any("restored" in n for n in notes) and not any("building" in n for n in notes), notes
    assert index.manifest["n_chunks"] == len(index.chunks)
    assert not (tmp_path / f".idx.old-{pid}").exists()


def test_leftovers_of_a_live_builder_are_left_alone(work: Settings, tmp_path: Path) -> None:
    from assistant.store.index import recover_leftovers

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        busy = tmp_path / f".idx.tmp-{sleeper.pid}"
        busy.mkdir()
        recover_leftovers(work.index_dir())
        assert busy.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


# --- a stale index in a read-only folder --------------------------------------------------------


def as_unprivileged() -> list[str]:
    """Root writes anywhere: drop the capabilities that let it, so read-only means read-only."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be simulated")
    probe = subprocess.run(
        ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "true"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.decode().strip()}")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_read_only_index_folder(work: Settings, tmp_path: Path) -> None:
    prefix = as_unprivileged()
    ro = tmp_path / "ro"
    ro.mkdir()
    os.replace(work.index_dir(), ro / "idx")
    stale_corpus = tmp_path / "stale"
    shutil.copytree(work.corpus, stale_corpus)
    with (stale_corpus / "imnm.md").open("a") as f:
        f.write("\nA new closing paragraph about IMNM follow-up.\n")
    before = digests(ro / "idx")
    os.chmod(ro / "idx", 0o555)
    os.chmod(ro, 0o555)
    try:
        # Stale and not writable: one clear line, nothing touched.
        stale = subprocess.run(
            [*prefix, *IMNM, "ask", FIRST_LINE_Q, "--corpus", str(stale_corpus),
             "--index", str(ro / "idx")],
            capture_output=True, env=clean_env(), timeout=300,
        )
        err = stale.stderr.decode()
        assert stale.returncode == 1, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("imnm: error:"), err
        assert "stale: corpus changed" in err and "cannot write the index" in err, err
        assert "--index" in err
        # Fresh and read-only: it only needs reading.
        fresh = subprocess.run(
            [*prefix, *IMNM, "ask", "--json", FIRST_LINE_Q, "--corpus", str(work.corpus),
             "--index", str(ro / "idx")],
            capture_output=True, env=clean_env(), timeout=300,
        )
        assert fresh.returncode == 0, fresh.stderr.decode()
        assert "prednisone" in json.loads(fresh.stdout)["answer"]
    finally:
        os.chmod(ro, 0o755)
        os.chmod(ro / "idx", 0o755)
    assert digests(ro / "idx") == before
    assert sorted(p.name for p in ro.iterdir()) == ["idx"]


def test_sentence_vectors_are_never_unpickled(work: Settings) -> None:
    """An object array (which would need pickle to load) in place of the vectors is refused."""
    import io

    buffer = io.BytesIO()
    np.save(buffer, np.array([{"payload": 1}], dtype=object), allow_pickle=True)
    rewrite_with_checksum(work.index_dir(), "sentences.npy", buffer.getvalue())
    with pytest.raises(IndexStateError, match="damaged"):
        load_index(work.index_dir(), expected_for(work))


# --- the corpus changes while the chat app runs -------------------------------------------------


def test_chat_picks_up_a_changed_corpus(work: Settings, embedder: Embedder, tmp_path: Path) -> None:
    from assistant.web.chat import ChatApp

    settings = work.model_copy(update={"data_dir": tmp_path / "data"})
    chat = ChatApp(Assistant(settings, embedder=embedder), settings, refresh_every=0)
    (work.corpus / "extra.md").write_text(STATIN_FACT)
    reply, _ = list(chat.respond(STATIN_Q, []))[-1]
    assert "statin exposure" in reply and "extra.md" in reply
    assert "⚠️" not in reply


def test_chat_never_serves_a_stale_index_silently(
    work: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    from assistant.web.chat import ChatApp

    settings = work.model_copy(update={"data_dir": tmp_path / "data"})
    chat = ChatApp(Assistant(settings, embedder=embedder, rebuild=False), settings, refresh_every=0)
    assert "⚠️" not in list(chat.respond(FIRST_LINE_Q, []))[-1][0]
    (work.corpus / "extra.md").write_text(STATIN_FACT)  # and this index may not be rebuilt
    reply, _ = list(chat.respond(FIRST_LINE_Q, []))[-1]
    assert "prednisone" in reply  # still answered, from the index it has...
    assert "⚠️" in reply and "stale" in reply  # ...and it says the index is out of date

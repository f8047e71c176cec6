"""A command ends whole, whatever ends it: Ctrl-C, SIGTERM, SIGHUP or kill -9. One
line is said, no worker process outlives it, nothing half-written is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, minimal_source, write_source

COMMAND = [sys.executable, str(ROOT / "make_booklet.py")]


def long_source(project: Path, exercises: int = 150) -> Path:
    body = "".join(f"### Move {n}\n\nDo move {n} slowly.\n\n" for n in range(1, exercises + 1))
    return write_source(project / "source", minimal_source(body))


def clients_csv(folder: Path, count: int) -> Path:
    path = folder / "clients.csv"
    path.write_text("name\n" + "".join(f"Client {n}\n" for n in range(count)), encoding="utf-8")
    return path


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def wait_for_output(folder: Path, suffix: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not any(folder.rglob(f"*{suffix}")):
        assert time.monotonic() < deadline, f"no {suffix} in {folder}"
        time.sleep(0.05)


def running(pid: int) -> bool:
    """Alive, and not a zombie waiting for whoever adopted it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def gone(pids: set[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(running(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def test_ctrl_c_stops_a_build_with_one_line(project, tmp_path):
    source = long_source(project)
    out = tmp_path / "out"
    with subprocess.Popen(
        [*COMMAND, str(source), "--out", str(out), "--project", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        time.sleep(2.5)  # importing, parsing, laying out: well inside the build
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert errors.splitlines() == [
        "error: stopped; the files already written are whole, the others were not touched"
    ]
    assert not out.exists() or not list(out.iterdir()), "nothing half-written"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_client_workers_end_with_the_command(project, tmp_path, how):
    source = write_source(project / "source", minimal_source())
    csv = clients_csv(tmp_path, 200)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            *COMMAND,
            str(source),
            "--clients",
            str(csv),
            "--out",
            str(out),
            "--project",
            str(project),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_output(out, ".pdf")
        workers = children(process.pid)
        assert len(workers) >= 2, "a pool of workers"
        process.send_signal(how)
        process.wait(timeout=30)
        assert gone(workers), "the workers outlived the command"
        written = len(list(out.rglob("*.pdf")))
        time.sleep(1)
        assert len(list(out.rglob("*.pdf"))) == written, "nothing is written after the end"
        if how != signal.SIGKILL:
            assert b"Traceback" not in process.stderr.read()
            assert process.returncode == 130
    finally:
        process.kill()
        process.wait()
        process.stderr.close()


def test_ctrl_c_stops_a_batch_of_clients_within_a_second(project, tmp_path):
    """Ctrl-C in a terminal signals the whole process group: the command and its
    workers. Nothing new starts; the command ends with one line."""
    source = write_source(project / "source", minimal_source())
    csv = clients_csv(tmp_path, 200)
    out = tmp_path / "out"
    with subprocess.Popen(
        [
            *COMMAND,
            str(source),
            "--clients",
            str(csv),
            "--out",
            str(out),
            "--project",
            str(project),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        wait_for_output(out, ".pdf")
        workers = children(process.pid)
        stopped = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        _, errors = process.communicate(timeout=30)
        assert gone(workers, timeout=5)
        took = time.monotonic() - stopped
    assert took < 3, f"stopping took {took:.1f} s"
    assert process.returncode == 130
    assert "Traceback" not in errors
    assert errors.splitlines()[-1].startswith("error: stopped;")
    assert len(list(out.rglob("*.pdf"))) < 200

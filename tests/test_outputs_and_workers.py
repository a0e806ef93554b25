"""Outputs never replace what is not a report file, and batch workers never outlive the batch (issue 16)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from patuh.cli import main
from patuh.load.data_paths import data_directory
from patuh.render.writer import OutputRefused, write_atomically

EXAMPLE = data_directory("facts") / "examples" / "tegal-disdukcapil.yaml"
AUDIT = ["audit", str(EXAMPLE), "--regulation", "tegal", "--as-of", "2024-12-31"]


@pytest.mark.parametrize("what", ["device", "directory", "fifo", "link to a device"])
def test_a_destination_that_is_not_a_report_file_is_refused_and_left_as_it_was(what, tmp_path, capsys):
    destination = {"device": Path("/dev/null"), "directory": tmp_path, "fifo": tmp_path / "pipe",
                   "link to a device": tmp_path / "link"}[what]
    if what == "fifo":
        os.mkfifo(destination)
    if what == "link to a device":
        destination.symlink_to("/dev/null")
    before = os.lstat(destination)
    assert main(AUDIT + ["-o", str(destination)]) == 1
    error = capsys.readouterr().err
    assert str(destination) in error and "a report is written only to a new file or over a report file" in error
    after = os.lstat(destination)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_a_link_to_a_report_file_is_followed_and_kept(tmp_path):
    target, link = tmp_path / "report.md", tmp_path / "latest.md"
    target.write_text("old", encoding="utf-8")
    link.symlink_to(target.name)
    assert main(AUDIT + ["-o", str(link)]) == 2
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("# Laporan Audit Kepatuhan")


def test_a_failed_write_is_one_message_and_the_earlier_report_stays(tmp_path, monkeypatch):
    report = tmp_path / "report.md"
    report.write_text("the earlier report", encoding="utf-8")

    def disk_full(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputRefused) as refused:
        write_atomically("new text", report)
    assert "No space left on device" in str(refused.value) and str(report) in str(refused.value)
    assert report.read_text(encoding="utf-8") == "the earlier report"
    assert [path.name for path in tmp_path.iterdir()] == ["report.md"]  # no temporary file left


def test_an_output_extension_patuh_does_not_write_is_refused(tmp_path, capsys):
    output = tmp_path / "report.pdf"
    assert main(AUDIT + ["-o", str(output)]) == 1
    assert "does not write .pdf files" in capsys.readouterr().err and not output.exists()


def test_workers_are_capped_at_the_files_and_the_cores(tmp_path, capsys):
    files = [str(data_directory("facts") / "examples" / name) for name in ("tegal-disdukcapil.yaml", "metro-dpmptsp.yaml")]
    code = main(["batch", *files, "--as-of", "2024-12-31", "-o", str(tmp_path / "out"), "--workers", "100000"])
    error = capsys.readouterr().err
    assert code == 2 and "--workers 100000: starting" in error
    started = int(error.split("--workers 100000: starting ")[1].split()[0])
    assert started <= min(2, os.cpu_count() or 1)


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        found.update(int(child) for child in children)
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the worker processes")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_every_worker_ends_when_the_batch_is_stopped(stop, tmp_path):
    units = tmp_path / "units"
    subprocess.run([sys.executable, str(Path(__file__).parent.parent / "benchmarks" / "generate_units.py"),
                    "--count", "400", "--seed", "7", "--out", str(units)], check=True, capture_output=True)
    batch = subprocess.Popen([sys.executable, "-m", "patuh.cli", "batch", str(units), "--as-of", "2024-12-31",
                              "-o", str(tmp_path / "out"), "--workers", "2"], stderr=subprocess.PIPE, text=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not workers and batch.poll() is None:
        time.sleep(0.2)
        workers = _children(batch.pid)
    if not workers:
        batch.kill()
        pytest.skip("the batch ended before its workers could be seen")
    batch.send_signal(stop)
    _, error = batch.communicate(timeout=60)
    # Stopped as Ctrl-C stops it, wherever the signal landed (even while a worker was forking),
    # and without a traceback from the batch or from a worker it terminated.
    assert batch.returncode == 130, error
    assert "Traceback" not in error and "Exception ignored" not in error, error
    time.sleep(0.5)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in
             (Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "Z")]
    assert not alive, f"workers still running after the batch ended: {alive}"

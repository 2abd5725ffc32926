"""`make run` keeps supervising while the demo set loads: a part that keeps crashing meanwhile stops the
platform, instead of the load waiting for it (devtools/run.py)."""

import threading

import pytest

from devtools import run, run_files
from devtools.supervisor import CrashLoop


def test_a_crash_loop_during_the_load_stops_it(tmp_path, monkeypatch):
    released = threading.Event()
    monkeypatch.setattr(run.demo_data, "load", lambda base_url, key: released.wait(30))
    polls = []

    def supervise():
        polls.append(1)
        if len(polls) == 3:
            raise CrashLoop("notify", 5, 60)

    with pytest.raises(CrashLoop):
        run.load_demo_data("http://127.0.0.1:9", "key", tmp_path, supervise)
    released.set()
    assert len(polls) == 3 and not (tmp_path / run_files.DEMO_MARKER).exists()


def test_a_failed_load_fails_the_run_and_a_finished_one_is_marked(tmp_path, monkeypatch, capsys):
    def refused(base_url, key):
        raise RuntimeError("HTTP 500")

    monkeypatch.setattr(run.demo_data, "load", refused)
    with pytest.raises(RuntimeError, match="HTTP 500"):
        run.load_demo_data("http://127.0.0.1:9", "key", tmp_path, lambda: None)

    monkeypatch.setattr(run.demo_data, "load", lambda base_url, key: None)
    run.load_demo_data("http://127.0.0.1:9", "key", tmp_path, lambda: None)
    assert (tmp_path / run_files.DEMO_MARKER).exists() and "demo data loaded" in capsys.readouterr().out

"""What `make run` keeps in DATA_DIR between runs, and its ready file."""

import os
import stat

import pytest

from devtools.run_files import (
    ADMIN_KEY_FILE,
    DEMO_MARKER,
    ReadyFile,
    admin_key,
    kept_from_earlier_run,
    load_demo_data_once,
)


def test_the_generated_admin_key_is_stored_for_the_owner_only_and_reused(tmp_path):
    data_dir = tmp_path / "data"
    first = admin_key(data_dir, None)

    stored = data_dir / ADMIN_KEY_FILE
    assert first.startswith("rdk_") and stored.read_text() == first + "\n"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert admin_key(data_dir, None) == first
    assert admin_key(data_dir, "") == first


def test_the_environment_key_wins_and_leaves_the_stored_one_alone(tmp_path):
    assert admin_key(tmp_path, "rdk_from_env") == "rdk_from_env"
    assert not (tmp_path / ADMIN_KEY_FILE).exists()

    stored = admin_key(tmp_path, None)
    assert admin_key(tmp_path, "rdk_from_env") == "rdk_from_env"
    assert admin_key(tmp_path, None) == stored


def test_a_data_dir_with_files_was_kept_from_an_earlier_run(tmp_path):
    data_dir = tmp_path / "data"
    assert not kept_from_earlier_run(data_dir)
    data_dir.mkdir()
    assert not kept_from_earlier_run(data_dir)
    admin_key(data_dir, None)
    assert kept_from_earlier_run(data_dir)


class DemoPlatform:
    """Stands in for the platform: counts the loads; `holds` says whether its store kept them."""

    def __init__(self, holds: bool = True, fails: bool = False):
        self.loads = 0
        self.holds = holds
        self.fails = fails

    def load(self) -> None:
        if self.fails:
            raise RuntimeError("the platform refused a request")
        self.loads += 1

    def present(self) -> bool:
        return self.holds and self.loads > 0


def test_the_demo_data_is_loaded_once_while_the_platform_keeps_it(tmp_path):
    platform = DemoPlatform()
    assert load_demo_data_once(tmp_path, platform.load, platform.present) is True
    assert (tmp_path / DEMO_MARKER).is_file()

    assert load_demo_data_once(tmp_path, platform.load, platform.present) is False
    assert platform.loads == 1


def test_the_demo_data_is_loaded_again_when_the_store_forgot_it(tmp_path):
    platform = DemoPlatform()
    load_demo_data_once(tmp_path, platform.load, platform.present)
    platform.holds = False  # a store in memory: the new run starts empty

    assert load_demo_data_once(tmp_path, platform.load, platform.present) is True
    assert platform.loads == 2


def test_a_load_that_failed_half_way_leaves_no_marker(tmp_path):
    failing = DemoPlatform(fails=True)
    with pytest.raises(RuntimeError):
        load_demo_data_once(tmp_path, failing.load, lambda: True)
    assert not (tmp_path / DEMO_MARKER).exists()

    platform = DemoPlatform()
    assert load_demo_data_once(tmp_path, platform.load, lambda: True) is True


def test_the_ready_file_names_the_url_and_pid_and_only_its_own_run_removes_it(tmp_path):
    ready = ReadyFile(tmp_path / ".run" / "ready")
    ready.write("http://127.0.0.1:8000", 4321)
    assert ready.path.read_text() == "url=http://127.0.0.1:8000\npid=4321\n"

    ready.remove(1234)  # a run that stops after another one started keeps its hands off
    assert ready.path.is_file()
    ready.remove(4321)
    assert not ready.path.exists()


def test_a_stale_ready_file_is_cleared_at_start(tmp_path):
    ready = ReadyFile(tmp_path / "ready")
    ready.write("http://127.0.0.1:8000", os.getpid() + 1)
    ready.clear()
    assert not ready.path.exists()
    ready.clear()  # nothing to clear is fine

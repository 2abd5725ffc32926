"""A `rabbitmqctl` that hangs fails fast and leaves no Erlang VM behind; the first test that meets an
unmanageable broker stops the run instead of letting every later test wait out the same timeout."""

import os
import time

import pytest

from devtools.broker import BrokerUnmanageable, rabbitmqctl

pytest_plugins = ["pytester"]


@pytest.fixture
def hanging_rabbitmqctl(tmp_path, monkeypatch):
    """Like the real one, a script whose child does the work: the child's pid is written down."""
    script = tmp_path / "rabbitmqctl"
    script.write_text(f'#!/bin/sh\nsleep 300 &\necho $! > "{tmp_path}/child"\nwait\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    return tmp_path / "child"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_hanging_rabbitmqctl_is_killed_with_its_children(hanging_rabbitmqctl):
    with pytest.raises(BrokerUnmanageable, match="did not answer within 1 s"):
        rabbitmqctl("add_vhost", "x", timeout=1)
    child = int(hanging_rabbitmqctl.read_text())
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)


def test_the_run_stops_at_the_first_test_the_broker_failed(pytester):
    pytester.makeconftest("pytest_plugins = ['tests.conftest']")
    pytester.makepyfile(
        """
        from devtools.broker import BrokerUnmanageable

        def test_first():
            raise BrokerUnmanageable("rabbitmqctl add_vhost t did not answer within 60 s")

        def test_second():
            pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--suppress-nameko-eventlet-notification")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the broker cannot be managed: rabbitmqctl add_vhost t*"])

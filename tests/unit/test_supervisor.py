"""The supervisor on tiny `python -c` children and a clock the test moves by hand."""

import os
import signal
import sys

import pytest

from devtools.supervisor import ChildSpec, CrashLoop, Supervisor
from tests.conftest import wait_until

EXIT_3 = "import sys; sys.exit(3)"
SLEEP = "import time; time.sleep(60)"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def child(code: str, starts: object) -> ChildSpec:
    """A child that notes each of its starts in the file `starts`, then runs `code`."""
    script = f"open({str(starts)!r}, 'a').write('started\\n'); {code}"
    return ChildSpec([sys.executable, "-c", script], dict(os.environ))


def started(starts) -> int:
    return starts.read_text().count("started") if starts.exists() else 0


def until_exit_noticed(supervisor: Supervisor, name: str) -> None:
    def noticed():
        supervisor.poll()
        return name not in supervisor.children

    wait_until(noticed)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def reports():
    return []


@pytest.fixture
def supervisor(tmp_path, clock, reports):
    supervisor = Supervisor(tmp_path, clock=clock, report=reports.append)
    yield supervisor
    supervisor.stop(supervisor.names(), timeout=5)


def test_a_child_that_exits_is_restarted_after_a_delay_that_doubles(supervisor, clock, reports, tmp_path):
    starts = tmp_path / "starts"
    supervisor.start("worker", child(EXIT_3, starts))

    until_exit_noticed(supervisor, "worker")
    assert reports == [
        "worker 意外退出（退出码 3），1 秒后重启 / worker exited unexpectedly (exit code 3); restarting it in 1 s"
    ]
    clock.now += 0.9
    supervisor.poll()
    assert "worker" not in supervisor.children and started(starts) == 1

    clock.now += 0.1
    supervisor.poll()
    assert reports[-1] == "worker 已重启 / worker restarted"
    wait_until(lambda: started(starts) == 2)

    until_exit_noticed(supervisor, "worker")
    assert reports[-1].endswith("restarting it in 2 s")


def test_the_report_names_the_signal_that_killed_a_child(supervisor, reports, tmp_path):
    supervisor.start("intake", child(SLEEP, tmp_path / "starts"))
    os.kill(supervisor.children["intake"].pid, signal.SIGKILL)

    until_exit_noticed(supervisor, "intake")
    assert reports == [
        "intake 意外退出（被信号 SIGKILL 终止），1 秒后重启 / intake exited unexpectedly (killed by SIGKILL); "
        "restarting it in 1 s"
    ]


def test_a_child_exiting_five_times_within_a_minute_is_a_crash_loop(supervisor, clock, reports, tmp_path):
    starts = tmp_path / "starts"
    supervisor.start("notify", child(EXIT_3, starts))
    for delay in (1, 2, 4, 8):
        until_exit_noticed(supervisor, "notify")
        assert reports[-1].endswith(f"restarting it in {delay} s")
        clock.now += delay
        supervisor.poll()

    with pytest.raises(CrashLoop) as stopped:
        until_exit_noticed(supervisor, "notify")
    assert stopped.value.name == "notify" and started(starts) == 5
    assert str(stopped.value) == (
        "notify 在 60 秒内意外退出 5 次，平台停止 / notify exited 5 times within 60 s; stopping the platform"
    )


def test_exits_further_apart_than_the_window_are_not_a_crash_loop(supervisor, clock, reports, tmp_path):
    starts = tmp_path / "starts"
    supervisor.start("routing", child(EXIT_3, starts))
    for runs in range(2, 8):
        until_exit_noticed(supervisor, "routing")
        assert reports[-1].endswith("restarting it in 1 s")  # the delay starts over too
        clock.now += 61
        supervisor.poll()
        wait_until(lambda expected=runs: started(starts) == expected)


def test_a_child_stopped_on_purpose_is_not_restarted(supervisor, clock, reports, tmp_path):
    starts = tmp_path / "starts"
    supervisor.start("gateway", child(SLEEP, starts))
    running = supervisor.children["gateway"]
    wait_until(lambda: started(starts) == 1)

    supervisor.stop(["gateway"], timeout=10)
    assert running.returncode == -signal.SIGTERM
    clock.now += 100
    supervisor.poll()
    assert supervisor.children == {} and supervisor.names() == [] and reports == [] and started(starts) == 1


def test_a_child_waiting_for_its_restart_stays_down_once_stopped(supervisor, clock, reports, tmp_path):
    starts = tmp_path / "starts"
    supervisor.start("legislation", child(EXIT_3, starts))
    until_exit_noticed(supervisor, "legislation")

    supervisor.stop(["legislation"])
    clock.now += 100
    supervisor.poll()
    assert supervisor.children == {} and supervisor.names() == [] and started(starts) == 1

"""Keeps child processes running as Kubernetes keeps a pod's containers running.

A child that exits without being asked to is started again after a delay that doubles with each
recent exit (1, 2, 4, 8 s). A part that exits `crash_limit` times within `crash_window` seconds
will not get better by itself (a port in use, a bad setting): `poll` raises `CrashLoop` and the
caller stops everything. Children stopped through `stop` are never restarted.
"""

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChildSpec:
    command: list[str]
    env: dict[str, str]
    log: Path | None = None  # appended to; None: the child writes to our own terminal


class CrashLoop(Exception):
    def __init__(self, name: str, exits: int, window: float):
        self.name = name
        super().__init__(
            f"{name} 在 {window:g} 秒内意外退出 {exits} 次，平台停止 / "
            f"{name} exited {exits} times within {window:g} s; stopping the platform"
        )


def describe_exit(returncode: int) -> tuple[str, str]:
    """How a child ended, in Chinese and in English."""
    if returncode < 0:
        name = signal.Signals(-returncode).name
        return f"被信号 {name} 终止", f"killed by {name}"
    return f"退出码 {returncode}", f"exit code {returncode}"


def shout(message: str) -> None:
    """Supervision news stands out among the children's log lines."""
    print(f"\n!!! {message}", file=sys.stderr, flush=True)


class Supervisor:
    def __init__(
        self,
        cwd: Path,
        clock: Callable[[], float] = time.monotonic,
        report: Callable[[str], None] = shout,
        first_delay: float = 1.0,
        max_delay: float = 8.0,
        crash_limit: int = 5,
        crash_window: float = 60.0,
    ):
        self.cwd = cwd
        self.clock = clock
        self.report = report
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.crash_limit = crash_limit
        self.crash_window = crash_window
        self.children: dict[str, subprocess.Popen] = {}
        self._specs: dict[str, ChildSpec] = {}
        self._exits: dict[str, list[float]] = {}
        self._restart_at: dict[str, float] = {}

    def _spawn(self, spec: ChildSpec) -> subprocess.Popen:
        output = open(spec.log, "ab") if spec.log else None
        try:
            # a session of its own: Ctrl-C reaches only the launcher, which then stops each child once
            return subprocess.Popen(
                spec.command,
                cwd=self.cwd,
                env=spec.env,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                start_new_session=True,
            )
        finally:
            if output:
                output.close()

    def start(self, name: str, spec: ChildSpec) -> None:
        self._specs[name] = spec
        self.children[name] = self._spawn(spec)

    def poll(self) -> None:
        """Notes the children that exited, restarts those whose delay is over; raises `CrashLoop`."""
        now = self.clock()
        for name, child in list(self.children.items()):
            if child.poll() is None:
                continue
            del self.children[name]
            recent = [at for at in self._exits.get(name, []) if now - at < self.crash_window] + [now]
            self._exits[name] = recent
            zh, en = describe_exit(child.returncode)
            if len(recent) >= self.crash_limit:
                self.report(f"{name} 意外退出（{zh}） / {name} exited unexpectedly ({en})")
                raise CrashLoop(name, len(recent), self.crash_window)
            delay = min(self.max_delay, self.first_delay * 2 ** (len(recent) - 1))
            self._restart_at[name] = now + delay
            self.report(
                f"{name} 意外退出（{zh}），{delay:g} 秒后重启 / "
                f"{name} exited unexpectedly ({en}); restarting it in {delay:g} s"
            )
        for name, due in list(self._restart_at.items()):
            if due <= now:
                del self._restart_at[name]
                self.children[name] = self._spawn(self._specs[name])
                self.report(f"{name} 已重启 / {name} restarted")

    def stop(self, names: list[str], timeout: float = 15) -> None:
        """SIGTERM lets nameko finish its workers and uvicorn its requests; SIGKILL after `timeout`.

        Each child gets one SIGTERM; a child stopped here is forgotten, never restarted.
        """
        for name in names:
            self._specs.pop(name, None)
            self._restart_at.pop(name, None)
        stopping = [self.children.pop(name) for name in names if name in self.children]
        for child in stopping:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in stopping:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def names(self) -> list[str]:
        """Every supervised part: running or waiting for its restart."""
        return list(self._specs)

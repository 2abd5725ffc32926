"""What `make run` keeps from one run to the next in DATA_DIR, and the ready file for scripts.

- `admin-api-key` (mode 0600): the admin key generated on the first run, so the README's examples
  keep working; `ADMIN_API_KEY` in the environment wins over it.
- `demo-data-loaded`: written after a complete load of the demo set, which is then not loaded
  again (its routing rules would be duplicated) while the platform still holds it.
- the ready file (`.run/ready` by default): written once the platform answers and the demo data is
  in, removed when it stops; it holds `url=` and `pid=` lines, so a shell script can source it.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

ADMIN_KEY_FILE = "admin-api-key"
DEMO_MARKER = "demo-data-loaded"


def write_private(path: Path, text: str) -> None:
    """Writes `text` readable by the owner only, replacing the file in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    os.replace(partial, path)


def kept_from_earlier_run(data_dir: Path) -> bool:
    return data_dir.is_dir() and any(data_dir.iterdir())


def admin_key(data_dir: Path, from_environment: str | None) -> str:
    """The environment's key, else the one an earlier run stored, else a new one, stored."""
    if from_environment:
        return from_environment
    stored = data_dir / ADMIN_KEY_FILE
    if stored.is_file() and (key := stored.read_text().strip()):
        return key
    key = "rdk_" + secrets.token_urlsafe(32)
    write_private(stored, key + "\n")
    return key


def load_demo_data_once(data_dir: Path, load: Callable[[], None], present: Callable[[], bool]) -> bool:
    """Loads the demo set unless an earlier run did and the platform still holds it (a store kept in
    memory forgets it). Returns whether it was loaded now."""
    marker = data_dir / DEMO_MARKER
    if marker.is_file() and present():
        return False
    marker.unlink(missing_ok=True)
    load()
    data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text("the demo data set was loaded; `make reset-data` starts afresh\n")
    return True


class ReadyFile:
    def __init__(self, path: Path):
        self.path = path

    def clear(self) -> None:
        """At start: a file left by a run that did not stop cleanly is stale."""
        self.path.unlink(missing_ok=True)

    def write(self, base_url: str, pid: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(f"url={base_url}\npid={pid}\n")
        os.replace(partial, self.path)  # a script never reads half a file

    def remove(self, pid: int) -> None:
        """When stopping: only our own, never the file of another run that started since."""
        if self.path.is_file() and f"pid={pid}\n" in self.path.read_text():
            self.path.unlink(missing_ok=True)

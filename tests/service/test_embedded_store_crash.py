"""A process killed with SIGKILL right after its writes returned: a new one finds them all."""

import signal
import subprocess
import sys
from pathlib import Path

from infra.embedded import EmbeddedClient

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys, time
from infra.embedded import EmbeddedClient
opinions = EmbeddedClient(sys.argv[1])["intake"]["opinions"]
opinions.insert_many([{"_id": f"op-{n}", "history": []} for n in range(100)])
opinions.update_one({"_id": "op-7"}, {"$push": {"history": "assigned"}})
opinions.delete_one({"_id": "op-99"})
print("written", flush=True)
time.sleep(120)
"""


def test_writes_survive_a_kill_9(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline() == b"written\n"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert (tmp_path / "intake.sqlite3-wal").stat().st_size > 0  # never closed: the writes are in the log

    client = EmbeddedClient(tmp_path)  # the lock died with the process
    opinions = client["intake"]["opinions"]
    assert opinions.count_documents({}) == 99
    assert opinions.find_one({"_id": "op-7"})["history"] == ["assigned"]
    assert opinions.find_one({"_id": "op-99"}) is None
    client.close()

"""scripts/ensure-rabbitmq.sh restarts a local broker that answers AMQP but whose rabbitmqctl hangs,
and leaves a manageable one alone. The real broker answers AMQP here; its tools are faked, so the
broker on this machine is never stopped."""

import resource
import subprocess

from devtools.launcher import ROOT
from tests.conftest import BROKER_URI


def fake_tools(bin_dir, files: int, hangs_until_restart: bool = False) -> None:
    """A `rabbitmqctl` that says the node may open `files` files and hangs until the fake
    `rabbitmq-server` has run (or never hangs); a `rabbitmq-server` that records the file limit it
    was started with; a `pkill` that only records. The real broker here is never touched."""
    (bin_dir / "files").write_text(f"{files}\n")
    (bin_dir / "rabbitmqctl").write_text(
        "#!/bin/sh\n"
        f'echo "rabbitmqctl $*" >> "{bin_dir}/calls"\n'
        f'case "$*" in *ulimit*) cat "{bin_dir}/files"; exit 0;; esac\n'
        + (f'[ -e "{bin_dir}/restarted" ] || sleep 30\n' if hangs_until_restart else "")
    )
    (bin_dir / "rabbitmq-server").write_text(f'#!/bin/sh\nulimit -n > "{bin_dir}/files"\ntouch "{bin_dir}/restarted"\n')
    (bin_dir / "pkill").write_text(f'#!/bin/sh\necho "pkill $*" >> "{bin_dir}/calls"\n')
    for tool in ("rabbitmqctl", "rabbitmq-server", "pkill"):
        (bin_dir / tool).chmod(0o755)


def ensure_broker(bin_dir):
    return subprocess.run(
        ["bash", "-c", "source scripts/ensure-rabbitmq.sh && main"],
        cwd=ROOT,
        env={
            "AMQP_URI": BROKER_URI,
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "RABBITMQCTL_TIMEOUT": "1",
            "RABBITMQ_USER": "no-such-user",  # started as this test's own user, so the fake is the one run
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


RAISED = min(65536, resource.getrlimit(resource.RLIMIT_NOFILE)[1])


def test_a_broker_whose_rabbitmqctl_hangs_is_restarted(tmp_path):
    fake_tools(tmp_path, files=RAISED, hangs_until_restart=True)
    done = ensure_broker(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "rabbitmqctl 1 秒内没有完成" in done.stderr and "RabbitMQ 已重启" in done.stderr
    calls = (tmp_path / "calls").read_text()
    assert "pkill -9 -f escript/rabbitmq" in calls and "rabbitmqctl stop" in calls
    assert (tmp_path / "restarted").exists()


def test_a_broker_that_may_open_too_few_files_is_restarted_with_more(tmp_path):
    fake_tools(tmp_path, files=1024)
    done = ensure_broker(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "它只能打开 1024 个文件" in done.stderr and "RabbitMQ 已重启" in done.stderr
    assert int((tmp_path / "files").read_text()) == RAISED


def test_a_fit_broker_is_left_alone(tmp_path):
    fake_tools(tmp_path, files=RAISED)
    done = ensure_broker(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    calls = (tmp_path / "calls").read_text()
    assert "add_vhost" in calls and "delete_vhost" in calls and "stop" not in calls
    assert not (tmp_path / "restarted").exists()

"""`make run`: the whole platform on this machine, supervised; Ctrl-C stops it all.

A child that dies is restarted (devtools/supervisor.py); one that keeps dying stops the platform
with exit code 1. The admin key and the demo data are kept in DATA_DIR across runs, and the ready
file tells scripts when the platform answers with its demo data in (devtools/run_files.py).
"""

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from contracts.services import SERVICES
from devtools import demo_data
from devtools.launcher import ROOT, PlatformProcesses
from devtools.run_files import ADMIN_KEY_FILE, ReadyFile, admin_key, kept_from_earlier_run, load_demo_data_once
from devtools.supervisor import CrashLoop, shout
from infra.settings import get_settings


def announce_data_dir(data_dir: Path) -> None:
    if kept_from_earlier_run(data_dir):
        print(
            f"沿用上次运行保存的数据：{data_dir}（make reset-data 清空后从头开始） / "
            f"keeping the data of an earlier run in {data_dir} (make reset-data starts afresh)",
            flush=True,
        )
    else:
        print(
            f"数据保存在 {data_dir}，下次运行沿用（make reset-data 清空） / "
            f"data is kept in {data_dir} for the next run (make reset-data clears it)",
            flush=True,
        )


def load_demo_data(base_url: str, key: str, data_dir: Path, supervise: Callable[[], None]) -> None:
    """Loads in a thread of its own while this one keeps supervising the platform: a part restarting
    meanwhile is restarted and waited for (devtools/demo_http.py), and a part that keeps crashing stops
    the platform (`supervise` raises CrashLoop) instead of the load waiting for it."""
    outcome: dict = {}

    def load() -> None:
        try:
            outcome["loaded"] = load_demo_data_once(
                data_dir, load=lambda: demo_data.load(base_url, key), present=lambda: demo_data.present(base_url)
            )
        except BaseException as error:  # handed to the supervising thread, which raises it
            outcome["error"] = error

    loading = threading.Thread(target=load, name="demo-data", daemon=True)
    loading.start()
    while loading.is_alive():
        supervise()
        loading.join(0.5)
    if "error" in outcome:
        raise outcome["error"]
    loaded = outcome["loaded"]
    if loaded:
        print("演示数据已加载：海宁市 330481 / demo data loaded: 海宁市 330481", flush=True)
    else:
        print("演示数据沿用上次运行，未重复加载 / demo data kept from an earlier run, not loaded again", flush=True)


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    data_dir = get_settings().data_dir
    ready = ReadyFile(Path(os.environ.get("READY_FILE", ROOT / ".run" / "ready")))
    ready.clear()
    announce_data_dir(data_dir)
    key = admin_key(data_dir, os.environ.get("ADMIN_API_KEY"))
    metrics_base = int(os.environ.get("METRICS_BASE_PORT", "9101"))
    metrics_ports = {name: metrics_base + offset for offset, name in enumerate(SERVICES)}
    platform = PlatformProcesses({"ADMIN_API_KEY": key}, port, metrics_ports, supervised=True)
    # explicit handlers: a shell may start us with SIGINT ignored, and Ctrl-C must still stop all
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    status = 0
    try:
        platform.start()
        platform.wait_ready()
        if os.environ.get("DEMO_DATA", "1") != "0":
            load_demo_data(platform.base_url, key, data_dir, platform.supervise)
        key_origin = "ADMIN_API_KEY" if os.environ.get("ADMIN_API_KEY") else data_dir / ADMIN_KEY_FILE
        print(
            f"\n平台已启动 / platform ready: {platform.base_url}  (docs: {platform.base_url}/docs)\n"
            f"管理员 API 密钥 / admin API key: {key}  ({key_origin})\n"
            f"服务指标 / service metrics: ports {metrics_base}-{metrics_base + 4}\n"
            "意外退出的进程会自动重启 / a part that exits unexpectedly is restarted\n"
            "按 Ctrl-C 停止 / Ctrl-C stops everything",
            flush=True,
        )
        ready.write(platform.base_url, os.getpid())
        print(f"就绪文件已写入 {ready.path} / ready: wrote {ready.path} (url, pid)\n", flush=True)
        while True:
            platform.supervise()
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except CrashLoop as error:
        shout(str(error))
        status = 1
    finally:
        # the children have sessions of their own: an impatient second Ctrl-C must not leave them running
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        ready.remove(os.getpid())
        platform.stop()
        print("平台已停止 / platform stopped", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())

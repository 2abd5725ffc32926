"""`make run`: the whole platform on this machine with the embedded store; Ctrl-C stops it all."""

import os
import secrets
import signal
import sys

from devtools import demo_data
from devtools.launcher import SERVICES, PlatformProcesses


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    admin_key = os.environ.get("ADMIN_API_KEY") or "rdk_" + secrets.token_urlsafe(32)
    metrics_base = int(os.environ.get("METRICS_BASE_PORT", "9101"))
    metrics_ports = {name: metrics_base + offset for offset, name in enumerate(SERVICES)}
    platform = PlatformProcesses({"ADMIN_API_KEY": admin_key}, port, metrics_ports)
    # explicit handlers: a shell may start us with SIGINT ignored, and Ctrl-C must still stop all
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        platform.start()
        platform.wait_ready()
        if os.environ.get("DEMO_DATA", "1") != "0":
            demo_data.load(platform.base_url, admin_key)
            print("演示数据已加载：海宁市 330481 / demo data loaded: 海宁市 330481", flush=True)
        print(
            f"\n平台已启动 / platform ready: {platform.base_url}  (docs: {platform.base_url}/docs)\n"
            f"管理员 API 密钥 / admin API key: {admin_key}\n"
            f"服务指标 / service metrics: ports {metrics_base}-{metrics_base + 4}\n"
            "按 Ctrl-C 停止 / Ctrl-C stops everything\n",
            flush=True,
        )
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        platform.stop()
        print("平台已停止 / platform stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

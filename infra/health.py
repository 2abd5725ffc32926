"""A service's own HTTP port (`METRICS_PORT`): `/metrics` for Prometheus, `/healthz` (alive: the event
loop answers) and `/readyz` (ready: every consumer is on the broker and the store answers), which
the Kubernetes probes call. Served by eventlet's WSGI server in a green thread of the service."""

import json
import logging
from collections.abc import Callable

import eventlet
import eventlet.wsgi
from prometheus_client import make_wsgi_app

log = logging.getLogger(__name__)

Check = Callable[[], bool]


class NoAccessLog:
    def write(self, line: str) -> None:
        pass


def health_app(checks: dict[str, Check]):
    """The WSGI app; `checks` are named readiness conditions, each answering True when met."""
    metrics = make_wsgi_app()

    def answer(start_response, status: str, body: dict):
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            return answer(start_response, "200 OK", {"status": "alive"})
        if path == "/readyz":
            results = {name: passes(check) for name, check in checks.items()}
            status = "200 OK" if all(results.values()) else "503 Service Unavailable"
            return answer(start_response, status, {"ready": all(results.values()), "checks": results})
        return metrics(environ, start_response)

    return app


def passes(check: Check) -> bool:
    try:
        return bool(check())
    except Exception:  # a probe answers; the reason goes to the log
        log.warning("readiness check failed", exc_info=True)
        return False


def serve(port: int, checks: dict[str, Check]):
    listener = eventlet.listen(("0.0.0.0", port))
    return eventlet.spawn(eventlet.wsgi.server, listener, health_app(checks), log=NoAccessLog(), log_output=False)

"""config.yml's logging, as `nameko run` sets it up: nameko's record of an expected refusal is dropped
(Observability logs the refusal in one INFO line), an unexpected error keeps its ERROR and traceback."""

import io
import json
import logging
import logging.config
from pathlib import Path

import eventlet
import pytest
import yaml
from nameko.containers import ServiceContainer

from contracts.errors import ErrorCode, ServiceError
from infra.nameko_consumers import rpc

CONFIG = Path(__file__).resolve().parents[2] / "config.yml"


class LookupService:
    name = "lookup"

    @rpc
    def find(self, code):
        if code == "bug":
            raise RuntimeError("a bug")
        raise ServiceError(ErrorCode.NOT_FOUND, "查无此编号 (no such code)", "code")


def find(code: str) -> BaseException:
    """Runs `find` in a nameko worker, as a delivered rpc would (plain pytest is not eventlet-patched,
    so this waits on eventlet's hub, not on nameko's thread-based test helpers); returns its exception."""
    container = ServiceContainer(LookupService, config={"AMQP_URI": "memory://"})
    outcomes = []

    def handle_result(worker_ctx, result, exc_info):
        outcomes.append(exc_info)
        return result, exc_info

    container.spawn_worker(next(iter(container.entrypoints)), (code,), {}, handle_result=handle_result)
    with eventlet.Timeout(10):
        while not outcomes:
            eventlet.sleep(0.01)
    return outcomes[0][1]


@pytest.fixture
def service_log():
    """The LOGGING of config.yml in place of pytest's own, its console writing to a buffer;
    returns a function giving the JSON entries written so far."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    logging.config.dictConfig(yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["LOGGING"])
    written = io.StringIO()
    next(handler for handler in root.handlers if handler.name == "console").setStream(written)
    yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    root.handlers[:] = handlers
    root.setLevel(level)


def test_nameko_record_of_an_expected_refusal_is_dropped(service_log, caplog):
    assert isinstance(find("AAAA-BBBB-CCCC"), ServiceError)

    emitted = [r for r in caplog.records if r.name == "nameko.containers" and r.levelno >= logging.WARNING]
    assert [(r.levelname, r.msg.split(" %s")[0], r.exc_info is not None) for r in emitted] == [
        ("WARNING", "(expected) error handling worker", True)
    ]
    assert [entry for entry in service_log() if entry["logger"] == "nameko.containers"] == []


def test_an_unexpected_error_is_still_logged_with_its_traceback(service_log):
    assert isinstance(find("bug"), RuntimeError)

    logged = [entry for entry in service_log() if entry["logger"] == "nameko.containers"]
    assert [(entry["level"], entry["msg"].split(" <")[0]) for entry in logged] == [("ERROR", "error handling worker")]
    assert "Traceback" in logged[0]["exc"] and "RuntimeError: a bug" in logged[0]["exc"]

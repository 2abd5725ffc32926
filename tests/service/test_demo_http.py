"""The demo loaders' client waits out a service that is restarting (503), and never repeats a POST."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from devtools.demo_http import DemoClient, client_like
from devtools.notify_delivery_demo import load_notify_delivery
from devtools.notify_demo import load_notify_templates


class Restarting:
    """A stand-in gateway whose notify answers 503 to its first `down` requests (it is restarting)."""

    def __init__(self, down: int):
        self.down, self.seen = down, []

    def __enter__(self):
        platform = self

        class Handle(BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                platform.seen.append((self.command, self.path.partition("?")[0], self.headers.get("X-API-Key")))
                notify = self.path.startswith(("/v1/notify", "/v1/admin/notify"))
                if notify and platform.down > 0:
                    platform.down -= 1
                    status, body = 503, {"title": "服务暂不可用", "detail": "notify is not running"}
                else:
                    status, body = 200, {"key": "handler-key"}
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_PUT = do_POST = answer  # noqa: N815 (http.server's naming)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_the_notify_demo_loads_through_a_restarting_notify():
    with Restarting(down=3) as platform, DemoClient(platform.url, {"X-API-Key": "admin"}, pause=0.01) as client:
        load_notify_templates(client)
        load_notify_delivery(client)
    puts = [(method, path) for method, path, _ in platform.seen if method == "PUT"]
    # three refused tries, then every PUT once more: each template, the policy, both units' preferences
    assert len(puts) == 3 + 3 + 1 + 2
    assert {path for _, path in puts[3:]} == {path for _, path in puts}  # each refused PUT was sent again
    preferences = [key for method, path, key in platform.seen if path == "/v1/notify/preferences"]
    assert preferences and set(preferences) == {"handler-key"}  # the derived client waits as well


def test_a_post_is_never_repeated_and_patience_has_an_end():
    with Restarting(down=100) as platform, DemoClient(platform.url, patience=0.05, pause=0.01) as client:
        assert client.post("/v1/notify/anything", json={}).status_code == 503
        assert len(platform.seen) == 1
        assert client.put("/v1/notify/preferences", json={}).status_code == 503
    assert len(platform.seen) > 2


def test_a_plain_client_stays_plain():
    with Restarting(down=1) as platform, httpx.Client(base_url=platform.url) as plain:
        with client_like(plain, {"X-API-Key": "k"}) as derived:
            assert derived.put("/v1/notify/preferences", json={}).status_code == 503

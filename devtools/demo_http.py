"""The demo loaders' HTTP client: it waits out a service that is (re)starting.

The platform answers 503 while a service does not answer its RPC, e.g. notify being restarted by
`make run`'s supervisor (which keeps supervising while the demo set loads, devtools/run.py). Loading
must not stop there: an idempotent request (GET, PUT, DELETE) answered 503 is sent again after a
pause, for up to `patience` seconds. A POST is never repeated: a service that did not answer in time
may have applied it.
"""

import time

import httpx

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class WaitForRestart(httpx.HTTPTransport):
    def __init__(self, patience: float = 120.0, pause: float = 0.5):
        super().__init__()
        self.patience, self.pause = patience, pause

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self.patience
        while True:
            answer = super().handle_request(request)
            if answer.status_code != 503 or request.method not in IDEMPOTENT or time.monotonic() >= deadline:
                return answer
            answer.read()
            answer.close()
            time.sleep(self.pause)


class DemoClient(httpx.Client):
    """An httpx client whose idempotent requests wait for a restarting service (see the module)."""

    def __init__(
        self,
        base_url: str | httpx.URL,
        headers: dict[str, str] | None = None,
        patience: float = 120.0,
        pause: float = 0.5,
    ):
        self.waiting = {"patience": patience, "pause": pause}
        super().__init__(base_url=base_url, headers=headers, timeout=30, transport=WaitForRestart(**self.waiting))


def client_like(client: httpx.Client, headers: dict[str, str]) -> httpx.Client:
    """A client for the same platform with other headers (another key), waiting as `client` does."""
    if isinstance(client, DemoClient):
        return DemoClient(client.base_url, headers, **client.waiting)
    return httpx.Client(base_url=client.base_url, headers=headers, timeout=30)

"""Per-client rate limit for the anonymous public endpoints: a token bucket per client address.

Each gateway replica counts on its own, so the cluster-wide allowance is the limit times the
number of replicas; that is enough to stop one client flooding the intake.
"""

import math
import time
from collections.abc import Callable

from fastapi import Request

from gateway.problems import Problem

PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}
MAX_TRACKED_CLIENTS = 100_000


def parse_limit(spec: str) -> tuple[int, float] | None:
    """'60/minute' → (60, 60.0); '0' → None (no limit)."""
    if spec.strip() == "0":
        return None
    count, _, period = spec.partition("/")
    if not count.strip().isdigit() or int(count) < 1 or period.strip() not in PERIODS:
        raise ValueError(f"rate limit must look like '60/minute' or be '0', not {spec!r}")
    return int(count), PERIODS[period.strip()]


class RateLimiter:
    def __init__(self, count: int, period: float, clock: Callable[[], float] = time.monotonic):
        self.capacity = float(count)
        self.refill_per_second = count / period
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}

    def wait_needed(self, client: str) -> float:
        """Takes a token for `client`; returns 0 when allowed, else the seconds until one is free."""
        now = self.clock()
        tokens, since = self.buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - since) * self.refill_per_second)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            return (1 - tokens) / self.refill_per_second
        if len(self.buckets) >= MAX_TRACKED_CLIENTS:
            self.buckets.clear()
        self.buckets[client] = (tokens - 1, now)
        return 0.0


def enforce_public_rate_limit(request: Request, limiter: RateLimiter | None) -> None:
    """429 with Retry-After when the client's address has used up its allowance."""
    if limiter is None:
        return
    client = request.client.host if request.client else "unknown"
    wait = limiter.wait_needed(client)
    if wait:
        raise Problem(
            429,
            "提交过于频繁，请稍后再试",
            f"Too many submissions from this address; retry in {math.ceil(wait)} s",
            headers={"Retry-After": str(math.ceil(wait))},
        )

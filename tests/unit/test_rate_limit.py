import pytest

from gateway.rate_limit import RateLimiter, parse_limit


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_limit_passes_then_waits_for_a_refill():
    clock = Clock()
    limiter = RateLimiter(3, 60.0, clock)
    assert [limiter.wait_needed("1.2.3.4") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait_needed("1.2.3.4") == pytest.approx(20.0)
    clock.now += 20
    assert limiter.wait_needed("1.2.3.4") == 0.0


def test_clients_are_counted_apart():
    limiter = RateLimiter(1, 60.0, Clock())
    assert limiter.wait_needed("a") == 0.0
    assert limiter.wait_needed("b") == 0.0
    assert limiter.wait_needed("a") > 0


@pytest.mark.parametrize(("spec", "parsed"), [("60/minute", (60, 60.0)), ("5/second", (5, 1.0)), ("0", None)])
def test_limits_are_parsed(spec, parsed):
    assert parse_limit(spec) == parsed


@pytest.mark.parametrize("spec", ["60", "x/minute", "0/minute", "10/day"])
def test_malformed_limits_are_refused(spec):
    with pytest.raises(ValueError):
        parse_limit(spec)

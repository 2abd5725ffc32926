"""The idempotency guard on its own, over the gateway's embedded database."""

import asyncio

import pytest

from gateway.db import GatewayDatabase
from gateway.idempotency import IdempotencyStore, idempotent
from gateway.problems import Problem
from gateway.schemas import OpinionIn

BODY = OpinionIn(division="330481001", channel="web", content="路灯坏了")


@pytest.fixture
def store(tmp_path):
    db = GatewayDatabase(None, tmp_path)
    yield IdempotencyStore(db.collection("idempotency"))
    asyncio.run(db.close())


def test_a_second_request_while_the_first_is_in_progress_is_409(store):
    async def scenario():
        async with idempotent(store, "s", "k1", BODY) as first:
            assert first.replay is None
            with pytest.raises(Problem) as raised:
                async with idempotent(store, "s", "k1", BODY):
                    pass
            first.response = {"tracking_code": "AAAA-BBBB-CCCC"}
        assert raised.value.status == 409
        async with idempotent(store, "s", "k1", BODY) as later:
            return later.replay

    assert asyncio.run(scenario()) == {"tracking_code": "AAAA-BBBB-CCCC"}


def test_keys_are_scoped(store):
    async def scenario():
        async with idempotent(store, "a", "k", BODY) as one:
            one.response = {"n": 1}
        async with idempotent(store, "b", "k", BODY) as other:
            return other.replay

    assert asyncio.run(scenario()) is None


def test_a_failure_releases_the_key(store):
    async def scenario():
        with pytest.raises(RuntimeError):
            async with idempotent(store, "s", "k", BODY):
                raise RuntimeError("broker down")
        async with idempotent(store, "s", "k", BODY) as retry:
            return retry.replay

    assert asyncio.run(scenario()) is None

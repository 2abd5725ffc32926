"""The rotation command asks intake for batches until nothing is left under an old key, and stops
with an error when intake makes no progress (the services still run with the old keys)."""

import asyncio

import pytest

from contracts.intake.opinions import ReencryptionReport
from devtools import rotate_pii_keys


class FakeBroker:
    def __init__(self, *args):
        self.closed = False

    async def start(self, commands):
        pass

    async def close(self):
        self.closed = True


def intake_answering(reports: list[ReencryptionReport], asked: list[int]):
    class FakeIntake:
        def __init__(self, broker):
            pass

        async def reencrypt_contacts(self, batch: int) -> ReencryptionReport:
            asked.append(batch)
            return reports.pop(0)

    return FakeIntake


def test_it_asks_batch_after_batch_until_none_remain(monkeypatch, capsys):
    asked: list[int] = []
    reports = [
        ReencryptionReport(reencrypted=200, remaining=150, active_key="k2"),
        ReencryptionReport(reencrypted=150, remaining=0, active_key="k2"),
    ]
    monkeypatch.setattr(rotate_pii_keys, "Broker", FakeBroker)
    monkeypatch.setattr(rotate_pii_keys, "IntakeClient", intake_answering(reports, asked))
    assert asyncio.run(rotate_pii_keys.rotate()) == 350
    assert asked == [rotate_pii_keys.BATCH, rotate_pii_keys.BATCH]
    assert "剩余 0 条" in capsys.readouterr().out


def test_it_stops_when_intake_still_runs_with_the_old_key(monkeypatch):
    stuck = [ReencryptionReport(reencrypted=0, remaining=12, active_key="dev")]
    monkeypatch.setattr(rotate_pii_keys, "Broker", FakeBroker)
    monkeypatch.setattr(rotate_pii_keys, "IntakeClient", intake_answering(stuck, []))
    with pytest.raises(SystemExit) as stopped:
        asyncio.run(rotate_pii_keys.rotate())
    assert stopped.value.code == 1

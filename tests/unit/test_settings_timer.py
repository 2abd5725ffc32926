"""Timers take their interval from settings when the service starts, never at import."""

from unittest.mock import Mock

from infra.nameko_entrypoints import SettingsTimer
from infra.settings import Settings


def test_a_settings_timer_reads_its_interval_at_setup(monkeypatch):
    timer = SettingsTimer("outbox_sweep_seconds")
    assert timer.interval is None  # nothing read when the service class was defined

    monkeypatch.setattr("infra.nameko_entrypoints.get_settings", lambda: Settings(outbox_sweep_seconds=0.25))
    timer.container = Mock()
    timer.setup()
    assert timer.interval == 0.25

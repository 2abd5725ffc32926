"""What every service class has: a readiness ping and observability; with a store, the outbox sweep."""

from datetime import timedelta

from infra.nameko_dependencies import Observability
from infra.nameko_entrypoints import rpc, settings_timer
from infra.settings import get_settings


class PlatformService:
    observability = Observability()

    @rpc
    def ping(self):
        return self.name


class StoredService(PlatformService):
    """A service with a `store` whose aggregates keep an outbox; `store.sweep` republishes leftovers."""

    @settings_timer("outbox_sweep_seconds")
    def sweep_outbox(self):
        """Republishes events a crash left in an outbox for longer than two sweeps."""
        self.store.sweep(timedelta(seconds=2 * get_settings().outbox_sweep_seconds))

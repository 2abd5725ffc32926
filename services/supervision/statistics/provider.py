"""Statistics' store on supervision's own database, beside the service's main store.

The embedded store locks a database file per process, so a second client cannot open it: this
provider uses the client of the service's `StoreProvider` for `database`, once every provider is
set up (nameko sets them all up before it starts any; a worker may come before this one's start).
"""

from nameko.extensions import DependencyProvider

from infra.nameko_dependencies import StoreProvider
from services.supervision.statistics.store import StatisticsStore


class StatisticsProvider(DependencyProvider):
    def __init__(self, database: str):
        self.database = database
        self.store: StatisticsStore | None = None

    def opened(self) -> StatisticsStore:
        if self.store is None:
            main = next(
                d for d in self.container.dependencies if isinstance(d, StoreProvider) and d.database == self.database
            )
            store = StatisticsStore(main.client[self.database])
            store.ensure_indexes()
            self.store = store
        return self.store

    def start(self):
        self.opened()

    def get_dependency(self, worker_ctx):
        return self.opened()

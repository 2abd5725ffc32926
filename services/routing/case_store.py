"""Cases as stored: aggregates with the fields their listings are indexed on (see `finding`)."""

from pymongo.collection import Collection

from contracts.paging import Page
from infra.aggregates import HIDDEN, AggregateCollection
from infra.outbox import Publish
from services.routing import finding
from services.routing.case import Case


class CaseCollection(AggregateCollection[Case]):
    """Every write stores `finding.indexed_fields` beside the case; reads leave them out."""

    def __init__(self, collection: Collection, publish: Publish):
        super().__init__(collection, Case, "case_id", publish)

    def ensure_indexes(self) -> None:
        super().ensure_indexes()
        for keys in finding.INDEXES:
            self.collection.create_index(keys)
        self.backfill()

    def backfill(self) -> int:
        """Adds the indexed fields to cases stored before they existed; 0 once every case has them."""
        stale = self.collection.find({"handling_units": {"$exists": False}}, HIDDEN)
        count = 0
        for doc in stale:
            fields = finding.indexed_fields(self._entity(doc))
            self.collection.update_one({"_id": doc["_id"]}, {"$set": fields})
            count += 1
        return count

    def find(self, query: dict, limit: int, after: str | None = None) -> Page:
        """A page of the cases `query` matches, newest first (a stable keyset cursor: `infra.paging`)."""
        return self.page(query, "received_at", True, limit, after)

    def _fields(self, entity: Case) -> dict:
        return {**super()._fields(entity), **finding.indexed_fields(entity)}

    def _entity(self, doc: dict) -> Case:
        return super()._entity({name: value for name, value in doc.items() if name not in finding.INDEXED_FIELDS})

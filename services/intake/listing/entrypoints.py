"""The listing RPCs, mixed into IntakeService: items as the public may see them (Open311 requests)."""

from contracts.errors import ErrorCode, ServiceError, parse
from contracts.intake.open311 import RequestQuery
from infra.nameko_entrypoints import rpc
from services.intake.listing.store import ListingStore


class ListingEntrypoints:
    @property
    def listing(self) -> ListingStore:
        return ListingStore(self.store.opinions.collection)

    @rpc
    def public_requests(self, query: dict) -> list[dict]:
        return [item.model_dump(mode="json") for item in self.listing.requests(parse(RequestQuery, query))]

    @rpc
    def public_request(self, case_number: str) -> dict:
        item = self.listing.request(case_number)
        if item is None:
            raise ServiceError(ErrorCode.NOT_FOUND, f"查无此案件编号 (no item numbered {case_number})", "case_number")
        return item.model_dump(mode="json")

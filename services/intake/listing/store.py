"""The listing's reads of intake's opinions: by division, period, status and category, newest first,
on the (division, submitted_at) and case_number indexes that IntakeStore keeps."""

from contracts.intake.open311 import PublicRequest, RequestQuery
from infra.mongo import division_prefix_filter
from services.intake.listing.public import PROJECTION, public_request


def selection(query: RequestQuery) -> dict:
    """The filter for `query`: its case numbers alone when it names some, else every other criterion."""
    wire = query.model_dump(mode="json")
    selected: dict = {"division": division_prefix_filter(query.division_prefix)}
    if query.case_numbers is not None:
        return {**selected, "case_number": {"$in": query.case_numbers}}
    selected["case_number"] = {"$type": "string"}
    period = {op: wire[name] for op, name in (("$gte", "start"), ("$lt", "end")) if wire[name] is not None}
    if period:
        selected["submitted_at"] = period
    if query.statuses is not None:
        selected["status"] = {"$in": wire["statuses"]}
    if query.categories is not None:
        selected["category"] = {"$in": query.categories}
    return selected


class ListingStore:
    def __init__(self, opinions):
        self.opinions = opinions  # intake's opinions collection, read only

    def requests(self, query: RequestQuery) -> list[PublicRequest]:
        docs = self.opinions.find(selection(query), PROJECTION).sort("submitted_at", -1).limit(query.limit)
        return [public_request(doc) for doc in docs]

    def request(self, case_number: str) -> PublicRequest | None:
        doc = self.opinions.find_one({"case_number": case_number}, PROJECTION)
        return public_request(doc) if doc else None

"""Redelivery after a crash is harmless, handler by handler.

A consumer acknowledges only after its write, so a process killed between the write and the
acknowledgement gets the same message again. Each handler here is run, then run again with the
same message: the second delivery must change nothing stored and publish nothing new. A crash
between the write and the publication is the other case: the second delivery then publishes
what the first left in the outbox, once.
"""

from dataclasses import dataclass, field

import pytest
from nameko.testing.services import worker_factory

from contracts.routing import CaseConsultationAnswered, CaseConsultationRequested, CaseEvent, CaseReplied, CaseTriaged
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import (
    Publications,
    case_accepted,
    case_assigned,
    case_event,
    contact_erased,
    evaluation_recorded,
    opinion_merged,
    opinion_received,
    submit_opinion,
)

DIVISION = "330481001"
LIFECYCLE_EVENTS = CaseEvent.__subclasses__()


class Killed(BaseException):
    """Stands for the process dying: nothing after it runs."""


def wire(message) -> dict:
    return message.envelope(DIVISION, "corr-redelivery").wire()


@dataclass
class Handler:
    service: type
    store: type
    method: str
    message: dict
    before: list[tuple[str, dict]] = field(default_factory=list)  # what arrived earlier


SUBMITTED = wire(submit_opinion())
ASSIGNED = wire(case_assigned())
ACCEPTED = wire(case_accepted())

EVALUATED = wire(evaluation_recorded())
REPLY = (  # the lead unit's reply, so that the case can be evaluated (a `before` step with several arguments)
    "7K3P-9XTA-2MQD",
    "reply",
    {"text": "已修复顶棚", "result_class": "A"},
    {"key_id": "k-unit", "role": "handler", "scope": "330481", "unit": "hn-transport"},
)

HANDLERS = [
    Handler(IntakeService, IntakeStore, "submit_opinion", SUBMITTED),
    Handler(IntakeService, IntakeStore, "on_case_assigned", ASSIGNED, [("submit_opinion", SUBMITTED)]),
    Handler(
        IntakeService,
        IntakeStore,
        "on_case_accepted",
        ACCEPTED,
        [("submit_opinion", SUBMITTED), ("on_case_assigned", ASSIGNED)],
    ),
    Handler(RoutingService, RoutingStore, "on_opinion_received", wire(opinion_received())),
    Handler(
        RoutingService,
        RoutingStore,
        "on_opinion_merged",  # publishes case.merged for each member
        wire(opinion_merged(primary="7K3P-9XTA-2MQX", members=["7K3P-9XTA-2MQD"])),
        [
            ("on_opinion_received", wire(opinion_received(tracking_code=code)))
            for code in ("7K3P-9XTA-2MQX", "7K3P-9XTA-2MQD")
        ],
    ),
    Handler(SupervisionService, SupervisionStore, "on_case_assigned", ASSIGNED),
    Handler(SupervisionService, SupervisionStore, "on_case_accepted", ACCEPTED, [("on_case_assigned", ASSIGNED)]),
    Handler(NotifyService, InboxStore, "on_case_assigned", ASSIGNED),
    Handler(NotifyService, InboxStore, "on_contact_erased", wire(contact_erased())),
    Handler(NotifyService, InboxStore, "on_case_triaged", wire(case_event(CaseTriaged))),
    Handler(NotifyService, InboxStore, "on_case_consultation_requested", wire(case_event(CaseConsultationRequested))),
    Handler(NotifyService, InboxStore, "on_case_consultation_answered", wire(case_event(CaseConsultationAnswered))),
    Handler(
        SupervisionService,
        SupervisionStore,
        "on_opinions_merged",
        wire(opinion_merged(primary="7K3P-9XTA-2MQX", members=["7K3P-9XTA-2MQD"])),
        [("on_case_assigned", ASSIGNED)],
    ),
    # 满意度测评: routing reopens the replied case (publishing case.reopened), intake shows the rating
    Handler(
        RoutingService,
        RoutingStore,
        "on_evaluation_recorded",
        EVALUATED,
        [
            ("on_opinion_received", wire(opinion_received())),
            ("accept_case", (REPLY[0], {}, REPLY[3])),
            ("act_on_case", REPLY),
        ],
    ),
    Handler(
        IntakeService,
        IntakeStore,
        "on_evaluation_recorded",
        EVALUATED,
        [
            ("submit_opinion", SUBMITTED),
            ("on_case_assigned", ASSIGNED),
            ("on_case_replied", wire(case_event(CaseReplied))),
        ],
    ),
    # the lifecycle's events (services/routing/case.py) on intake's and supervision's read models
    *[
        Handler(service, store, f"on_{kind.TYPE.replace('.', '_')}", wire(case_event(kind)), before)
        for kind in LIFECYCLE_EVENTS
        for service, store, before in (
            (IntakeService, IntakeStore, [("submit_opinion", SUBMITTED), ("on_case_assigned", ASSIGNED)]),
            (SupervisionService, SupervisionStore, [("on_case_assigned", ASSIGNED)]),
        )
        if hasattr(service, f"on_{kind.TYPE.replace('.', '_')}")
    ],
]


def snapshot(db) -> dict:
    """Everything the service stored, collection by collection."""
    return {name: sorted(db[name].find(), key=lambda doc: str(doc["_id"])) for name in db.list_collection_names()}


def service_for(handler: Handler, db, published):
    store = handler.store(db, published)
    store.ensure_indexes()
    service = worker_factory(handler.service, store=store)
    if handler.store is RoutingStore:  # a unit and a rule, so the opinion is assigned and announced
        service.register_unit({"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"})
        service.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    for method, message in handler.before:
        getattr(service, method)(*message) if isinstance(message, tuple) else getattr(service, method)(message)
    return service


@pytest.mark.parametrize("handler", HANDLERS, ids=lambda h: f"{h.service.name}.{h.method}")
def test_a_second_delivery_of_what_was_handled_changes_nothing(mongo_db, handler):
    published = Publications()
    service = service_for(handler, mongo_db, published)
    getattr(service, handler.method)(handler.message)
    stored, sent = snapshot(mongo_db), list(published.wires)

    getattr(service, handler.method)(handler.message)
    assert snapshot(mongo_db) == stored
    assert published.wires == sent


PUBLISHING = [h for h in HANDLERS if h.method in ("submit_opinion", "on_opinion_received", "on_opinion_merged")]


@pytest.mark.parametrize("handler", PUBLISHING, ids=lambda h: f"{h.service.name}.{h.method}")
def test_a_crash_before_publishing_is_made_good_by_the_redelivery_once(mongo_db, handler):
    published = Publications()
    service = service_for(handler, mongo_db, published)
    earlier = len(published.wires)  # what arrived before published
    published.failure = Killed("the process died after its write, before the event left")
    with pytest.raises(Killed):
        getattr(service, handler.method)(handler.message)
    assert len(published.wires) == earlier

    published.failure = None
    getattr(service, handler.method)(handler.message)
    getattr(service, handler.method)(handler.message)
    relayed = [w["event_id"] for w in published.wires[earlier:]]
    assert relayed and len(set(relayed)) == len(relayed)  # what the first left, each once

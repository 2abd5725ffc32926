"""intake: stores citizens' opinions, emits `opinion.received`, answers tracking-code lookups."""

import logging

from nameko.rpc import rpc
from prometheus_client import Counter

from contracts.errors import ErrorCode, ServiceError
from contracts.events import CaseAssigned, SubmitOpinion
from contracts.rpc import DeputyIn, StationIn
from infra.nameko_ext import Cipher, OutboxService, StoreProvider, command_handler, durable_event_handler
from services.intake.domain import assignment_changes, public_view, receive, staff_view
from services.intake.store import OpinionStore

log = logging.getLogger(__name__)
OPINIONS_RECEIVED = Counter("opinions_received_total", "Opinions stored by intake", ["channel"])


class IntakeService(OutboxService):
    name = "intake"

    store: OpinionStore = StoreProvider(OpinionStore, "intake")
    cipher = Cipher()

    @command_handler(SubmitOpinion)
    def submit_opinion(self, body):
        envelope, command = SubmitOpinion.from_wire(body)
        opinion, received = receive(command)
        pending = self.store.insert(opinion, [received.envelope(opinion.division, envelope.correlation_id)])
        if pending is not None:
            OPINIONS_RECEIVED.labels(opinion.channel.value).inc()
            log.info("opinion %s received via %s", opinion.tracking_code, opinion.channel.value)
        self.store.outbox.relay(opinion.tracking_code, self.publish, pending)

    @durable_event_handler(CaseAssigned)
    def on_case_assigned(self, body):
        envelope, event = CaseAssigned.from_wire(body)
        self.store.apply_event(event.case_id, envelope.event_id, assignment_changes(event), event.transitions)

    def find_opinion(self, tracking_code: str):
        opinion = self.store.get(tracking_code)
        if opinion is None:
            raise ServiceError(
                ErrorCode.NOT_FOUND,
                "查无此编号的民情事项；刚提交的事项可能仍在受理中，请稍后再查 "
                "(no opinion with this tracking code yet; a new one may still be on its way)",
                "tracking_code",
            )
        return opinion

    @rpc
    def public_view(self, tracking_code: str) -> dict:
        return public_view(self.find_opinion(tracking_code)).model_dump(mode="json")

    @rpc
    def staff_view(self, tracking_code: str, reveal_contact: bool = False) -> dict:
        opinion = self.find_opinion(tracking_code)
        contact = self.cipher.open(opinion.contact) if opinion.contact else None
        return staff_view(opinion, contact, reveal_contact).model_dump(mode="json")

    @rpc
    def register_station(self, station: dict) -> dict:
        parsed = StationIn.model_validate(station)
        self.store.save_station(parsed)
        return parsed.model_dump()

    @rpc
    def register_deputy(self, deputy: dict) -> dict:
        parsed = DeputyIn.model_validate(deputy)
        if not self.store.has_station(parsed.station_id):
            raise ServiceError(ErrorCode.INVALID, f"联络站 {parsed.station_id} 不存在 (unknown station)", "station_id")
        self.store.save_deputy(parsed)
        return parsed.model_dump()

    @rpc
    def stations(self, division_prefix: str, limit: int = 100) -> list[dict]:
        return [view.model_dump() for view in self.store.stations_in(division_prefix, limit)]

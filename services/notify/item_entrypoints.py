"""notify's consumers of an item's course (item_notices.py), mixed into NotifyService."""

from contracts.intake.opinions import OpinionReceived
from contracts.routing import CaseReopened, CaseReplied
from contracts.supervision import EvaluationRecorded
from infra.clock import utc_now
from infra.nameko_entrypoints import event_handler
from services.notify import item_notices


class ItemNoticeEntrypoints:
    @event_handler(OpinionReceived)
    def on_opinion_received(self, body):
        envelope, event = OpinionReceived.from_wire(body)
        self.store.follow(item_notices.followers_of_received(event))
        for note in item_notices.for_opinion_received(envelope.event_id, event, utc_now()):
            self.store.notifications.add(note)

    @event_handler(CaseReplied)
    def on_case_replied(self, body):
        envelope, event = CaseReplied.from_wire(body)
        followers = self.store.followers_of(event.case_id)
        for note in item_notices.for_case_replied(envelope.event_id, event, followers, utc_now()):
            self.store.notifications.add(note)

    @event_handler(CaseReopened)
    def on_case_reopened(self, body):
        envelope, event = CaseReopened.from_wire(body)
        followers = self.store.followers_of(event.case_id)
        for note in item_notices.for_case_reopened(envelope.event_id, event, followers, utc_now()):
            self.store.notifications.add(note)

    @event_handler(EvaluationRecorded)
    def on_evaluation_recorded(self, body):
        envelope, event = EvaluationRecorded.from_wire(body)
        for note in item_notices.for_unsatisfied(envelope.event_id, event, utc_now()):
            self.store.notifications.add(note)

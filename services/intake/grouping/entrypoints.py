"""The grouping RPCs and event handlers, mixed into IntakeService.

Grouping runs on intake's own `opinion.received`, off the submission path: the item is stored and
acknowledged first, and a redelivered event changes nothing.
"""

from datetime import date

from contracts.actor import Actor
from contracts.errors import parse
from contracts.intake.grouping import MergeGroupIn, SplitGroupIn
from contracts.intake.opinions import OpinionMerged, OpinionReceived
from infra.clock import utc_now
from infra.logs import correlation_id
from infra.nameko_entrypoints import event_handler, rpc
from services.intake.grouping import follow, handlers


class GroupingEntrypoints:
    @event_handler(OpinionReceived)
    def group_received_opinion(self, body):
        _, event = OpinionReceived.from_wire(body)
        handlers.index_received(self.store, event, utc_now())

    @event_handler(OpinionMerged)
    def on_opinion_merged(self, body):
        envelope, event = OpinionMerged.from_wire(body)
        follow.apply_merge(self.store, event, envelope)

    @rpc
    def opinion_groups(self, division_prefix: str, limit: int = 50, after: str | None = None) -> dict:
        return handlers.list_groups(self.store, division_prefix, limit, after).model_dump(mode="json")

    @rpc
    def merge_group(self, group_id: str, merge: dict, actor: dict) -> dict:
        command, actor = parse(MergeGroupIn, merge), parse(Actor, actor)
        view = handlers.merge_group(self.store, group_id, command, actor, correlation_id.get(), utc_now())
        return view.model_dump(mode="json")

    @rpc
    def split_group(self, group_id: str, split: dict, actor: dict) -> dict:
        command, actor = parse(SplitGroupIn, split), parse(Actor, actor)
        view = handlers.split_group(self.store, group_id, command, actor, correlation_id.get(), utc_now())
        return view.model_dump(mode="json")

    @rpc
    def hot_words(self, division: str, first_day: str, last_day: str, limit: int = 20) -> dict:
        first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
        return handlers.hot_words_of(self.store, division, first, last, limit).model_dump(mode="json")

"""Key supervision's entrypoints, mixed into SupervisionService."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.supervision import EvaluationRecorded
from contracts.supervision.key_items import KeyRecordIn, MarkKeyItemIn, UnmarkKeyItemIn
from infra.clock import utc_now
from infra.logs import correlation_id
from infra.nameko_entrypoints import event_handler, rpc
from services.supervision.key_items import handlers
from services.supervision.key_items.item import view


class KeyItemEntrypoints:
    @rpc
    def mark_key_item(self, case_id: str, mark: dict, actor: dict) -> dict:
        command, who = parse(MarkKeyItemIn, mark), parse(Actor, actor)
        return view(handlers.mark(self.store, case_id, command, who, correlation_id.get(), utc_now())).model_dump(
            mode="json"
        )

    @rpc
    def unmark_key_item(self, case_id: str, unmark: dict, actor: dict) -> dict:
        command, who = parse(UnmarkKeyItemIn, unmark), parse(Actor, actor)
        return view(handlers.unmark(self.store, case_id, command, who, correlation_id.get(), utc_now())).model_dump(
            mode="json"
        )

    @rpc
    def record_key_item(self, case_id: str, record: dict, actor: dict) -> dict:
        command, who = parse(KeyRecordIn, record), parse(Actor, actor)
        item = handlers.add_record(self.store, case_id, command, who, correlation_id.get(), utc_now())
        return view(item).model_dump(mode="json")

    @rpc
    def key_item(self, case_id: str, actor: dict) -> dict:
        return view(handlers.find(self.store, case_id, parse(Actor, actor))).model_dump(mode="json")

    @rpc
    def key_items(self, division_prefix: str, period: str, limit: int = 100, after: str | None = None) -> dict:
        page = handlers.in_period(self.store, division_prefix, period, limit, after)
        return page.map(view).model_dump(mode="json")

    @event_handler(EvaluationRecorded)
    def key_on_evaluation_recorded(self, body):
        envelope, event = EvaluationRecorded.from_wire(body)
        handlers.on_evaluation_recorded(self.store, event, envelope, utc_now())

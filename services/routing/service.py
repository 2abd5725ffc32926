"""routing: turns received opinions into cases, triages and assigns them with a deadline."""

from nameko.rpc import rpc

from contracts.errors import ErrorCode, ServiceError
from contracts.events import OpinionReceived
from contracts.rpc import CalendarDayIn, CaseSummary, RoutingRuleIn, UnitIn
from contracts.vocabulary import DIVISION_CODE
from infra.clock import local_date, utc_now
from infra.nameko_ext import OutboxService, StoreProvider, durable_event_handler
from services.routing.calendar import WorkingCalendar
from services.routing.domain import open_case
from services.routing.store import RoutingStore


class RoutingService(OutboxService):
    name = "routing"

    store: RoutingStore = StoreProvider(RoutingStore, "routing")

    @durable_event_handler(OpinionReceived)
    def on_opinion_received(self, body):
        envelope, opinion = OpinionReceived.from_wire(body)
        rules = self.store.rules_for(opinion.division)
        units = self.store.units_by_id([unit for rule in rules for unit in (rule.lead_unit, *rule.co_units)])
        now = utc_now()
        calendar = WorkingCalendar(self.store.calendar_overrides(opinion.division, local_date(now)))
        opened = open_case(opinion, rules, units, calendar, now)
        events = [opened.assigned.envelope(opinion.division, envelope.correlation_id)] if opened.assigned else []
        pending = self.store.insert_case(opened.case, events)
        self.store.outbox.relay(opened.case.case_id, self.publish, pending)

    @rpc
    def register_unit(self, unit: dict) -> dict:
        parsed = UnitIn.model_validate(unit)
        if not DIVISION_CODE.match(parsed.division):
            raise ServiceError(ErrorCode.INVALID, "行政区划代码格式不正确", "division")
        self.store.save_unit(parsed)
        return parsed.model_dump()

    @rpc
    def add_rule(self, rule: dict) -> dict:
        parsed = RoutingRuleIn.model_validate(rule)
        wanted = [parsed.lead_unit, *parsed.co_units]
        known = self.store.units_by_id(wanted)
        for field, unit_id in [("lead_unit", parsed.lead_unit), *(("co_units", unit) for unit in parsed.co_units)]:
            if unit_id not in known:
                raise ServiceError(ErrorCode.INVALID, f"承办单位 {unit_id} 不存在 (unknown unit)", field)
        self.store.add_rule(parsed)
        return parsed.model_dump()

    @rpc
    def set_calendar_day(self, day: dict) -> dict:
        parsed = CalendarDayIn.model_validate(day)
        self.store.save_calendar_day(parsed)
        return parsed.model_dump(mode="json")

    @rpc
    def list_cases(self, division_prefix: str, limit: int = 100) -> list[dict]:
        return [
            CaseSummary.model_validate(case.model_dump()).model_dump(mode="json")
            for case in self.store.cases_in(division_prefix, limit)
        ]

"""Typed clients of the services' RPCs: contract models in, contract models out.

Each method calls the RPC of the same name on its service; a test checks every one against the
service's entrypoints, so a rename on either side fails there rather than in production.
"""

from functools import cache
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, TypeAdapter

from contracts.actor import Actor
from contracts.intake.categories import CategoriesIn, CategoryList
from contracts.intake.directory import DeputyIn, StationIn, StationView
from contracts.intake.opinions import (
    ContactErasedView,
    EraseContactIn,
    OpinionReceipt,
    PublicOpinionView,
    ReencryptionReport,
    StaffOpinionView,
    SubmitOpinion,
)
from contracts.intake.receptions import (
    AnnouncementIn,
    CancellationIn,
    HeldIn,
    PublicReceptionView,
    ReceptionDetail,
    ReceptionIn,
    ReceptionStatus,
    ReceptionView,
)
from contracts.notify import NotificationView
from contracts.paging import Page
from contracts.routing import AcceptCaseIn, CalendarDayIn, CaseView, RoutingRuleIn, UnitIn
from contracts.supervision import DeadlineView


class Caller(Protocol):
    async def call(self, service: str, method: str, **kwargs: Any) -> Any: ...


@cache
def adapter(answer: type) -> TypeAdapter:
    return TypeAdapter(answer)


def wire(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


class ServiceClient:
    service: ClassVar[str]

    def __init__(self, broker: Caller):
        self.broker = broker

    async def _call(self, method: str, answer: type, **kwargs: Any) -> Any:
        result = await self.broker.call(self.service, method, **{name: wire(v) for name, v in kwargs.items()})
        return adapter(answer).validate_python(result)


class IntakeClient(ServiceClient):
    service = "intake"

    async def public_view(self, tracking_code: str) -> PublicOpinionView:
        return await self._call("public_view", PublicOpinionView, tracking_code=tracking_code)

    async def staff_view(self, tracking_code: str, actor: Actor) -> StaffOpinionView:
        return await self._call("staff_view", StaffOpinionView, tracking_code=tracking_code, actor=actor)

    async def submit_staff_opinion(self, command: SubmitOpinion, actor: Actor) -> OpinionReceipt:
        return await self._call("submit_staff_opinion", OpinionReceipt, command=command, actor=actor)

    async def erase_contact(self, tracking_code: str, erasure: EraseContactIn) -> ContactErasedView:
        return await self._call("erase_contact", ContactErasedView, tracking_code=tracking_code, erasure=erasure)

    async def unknown_photos(self, photo_ids: list[str]) -> list[str]:
        return await self._call("unknown_photos", list[str], photo_ids=photo_ids)

    async def reencrypt_contacts(self, batch: int) -> ReencryptionReport:
        return await self._call("reencrypt_contacts", ReencryptionReport, batch=batch)

    async def categories(self, division: str) -> CategoryList:
        return await self._call("categories", CategoryList, division=division)

    async def set_categories(self, division: str, categories: CategoriesIn) -> CategoryList:
        return await self._call("set_categories", CategoryList, division=division, categories=categories)

    async def register_station(self, station: StationIn) -> StationIn:
        return await self._call("register_station", StationIn, station=station)

    async def register_deputy(self, deputy: DeputyIn) -> DeputyIn:
        return await self._call("register_deputy", DeputyIn, deputy=deputy)

    async def stations(self, division_prefix: str, limit: int, after: str | None) -> Page[StationView]:
        return await self._call(
            "stations", Page[StationView], division_prefix=division_prefix, limit=limit, after=after
        )

    async def create_reception(self, reception: ReceptionIn, actor: Actor) -> ReceptionView:
        return await self._call("create_reception", ReceptionView, reception=reception, actor=actor)

    async def announce_reception(self, reception_id: str, announcement: AnnouncementIn, actor: Actor) -> ReceptionView:
        return await self._call(
            "announce_reception", ReceptionView, reception_id=reception_id, announcement=announcement, actor=actor
        )

    async def hold_reception(self, reception_id: str, report: HeldIn, actor: Actor) -> ReceptionView:
        return await self._call("hold_reception", ReceptionView, reception_id=reception_id, report=report, actor=actor)

    async def cancel_reception(self, reception_id: str, cancellation: CancellationIn, actor: Actor) -> ReceptionView:
        return await self._call(
            "cancel_reception", ReceptionView, reception_id=reception_id, cancellation=cancellation, actor=actor
        )

    async def reception(self, reception_id: str) -> ReceptionDetail:
        return await self._call("reception", ReceptionDetail, reception_id=reception_id)

    async def receptions(
        self, division_prefix: str, status: ReceptionStatus | None, limit: int, after: str | None
    ) -> Page[ReceptionView]:
        return await self._call(
            "receptions", Page[ReceptionView], division_prefix=division_prefix, status=status, limit=limit, after=after
        )

    async def public_receptions(self, division_prefix: str, limit: int, after: str | None) -> Page[PublicReceptionView]:
        return await self._call(
            "public_receptions", Page[PublicReceptionView], division_prefix=division_prefix, limit=limit, after=after
        )


class RoutingClient(ServiceClient):
    service = "routing"

    async def list_cases(self, division_prefix: str, limit: int, after: str | None) -> Page[CaseView]:
        return await self._call("list_cases", Page[CaseView], division_prefix=division_prefix, limit=limit, after=after)

    async def accept_case(self, case_id: str, command: AcceptCaseIn, actor: Actor) -> CaseView:
        return await self._call("accept_case", CaseView, case_id=case_id, command=command, actor=actor)

    async def register_unit(self, unit: UnitIn) -> UnitIn:
        return await self._call("register_unit", UnitIn, unit=unit)

    async def unit(self, unit_id: str) -> UnitIn:
        return await self._call("unit", UnitIn, unit_id=unit_id)

    async def add_rule(self, rule: RoutingRuleIn) -> RoutingRuleIn:
        return await self._call("add_rule", RoutingRuleIn, rule=rule)

    async def set_calendar_day(self, day: CalendarDayIn) -> CalendarDayIn:
        return await self._call("set_calendar_day", CalendarDayIn, day=day)


class SupervisionClient(ServiceClient):
    service = "supervision"

    async def deadlines(
        self, division_prefix: str, overdue_only: bool, limit: int, after: str | None
    ) -> Page[DeadlineView]:
        return await self._call(
            "deadlines",
            Page[DeadlineView],
            division_prefix=division_prefix,
            overdue_only=overdue_only,
            limit=limit,
            after=after,
        )


class NotifyClient(ServiceClient):
    service = "notify"

    async def inbox(
        self, recipient: str, division_prefix: str, limit: int, after: str | None
    ) -> Page[NotificationView]:
        return await self._call(
            "inbox",
            Page[NotificationView],
            recipient=recipient,
            division_prefix=division_prefix,
            limit=limit,
            after=after,
        )

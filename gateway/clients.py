"""Typed clients of the services' RPCs: contract models in, contract models out.

Each method calls the RPC of the same name on its service; a test checks every one against the
service's entrypoints, so a rename on either side fails there rather than in production.
"""

import json
from functools import cache
from typing import Any, ClassVar, Protocol

import httpx
from pydantic import BaseModel, TypeAdapter

from contracts.actor import Actor
from contracts.case_finding import CaseDetail, CaseQuery
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.categories import CategoriesIn, CategoryList
from contracts.intake.directory import (
    ENTRIES,
    AreaEntry,
    AreaIn,
    Changes,
    DeputyEntry,
    DeputyIn,
    DirectoryKind,
    Entry,
    GridEntry,
    GridIn,
    ReceiverCard,
    StationEntry,
    StationIn,
    StationView,
)
from contracts.intake.grouping import HotWordsView, MergeGroupIn, OpinionGroupView, SplitGroupIn
from contracts.intake.imports import ImportOutcome
from contracts.intake.open311 import PublicRequest, RequestQuery
from contracts.intake.opinions import (
    ContactErasedView,
    EraseContactIn,
    OpinionReceipt,
    PublicOpinionView,
    ReencryptionReport,
    StaffOpinionView,
    SubmitOpinion,
)
from contracts.intake.photos import PhotoInfo, PhotoUploaded
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
from contracts.intake.suggestions import (
    EditSuggestionIn,
    FileSuggestionIn,
    MergeSuggestionsIn,
    ReturnSuggestionIn,
    SuggestionActionIn,
    SuggestionStatus,
    SuggestionView,
)
from contracts.notify import NotificationView
from contracts.paging import Page
from contracts.routing import (
    AcceptCaseIn,
    ActionIn,
    CalendarDayIn,
    CaseView,
    DivisionDeadlinesIn,
    LateAssignment,
    ResultSchemeIn,
    ResultSchemeView,
    RoutingRuleIn,
    RuleView,
    TriageQueueEntry,
    UnitChangeIn,
    UnitIn,
    UnitView,
)
from contracts.supervision import DeadlineView, EvaluationIn, EvaluationView, SubmitterProof
from infra.logs import correlation_id


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

    async def file_suggestion(self, command: FileSuggestionIn, actor: Actor) -> SuggestionView:
        return await self._call("file_suggestion", SuggestionView, command=command, actor=actor)

    async def list_suggestions(
        self, division_prefix: str, status: SuggestionStatus | None, limit: int, after: str | None
    ) -> Page[SuggestionView]:
        return await self._call(
            "list_suggestions",
            Page[SuggestionView],
            division_prefix=division_prefix,
            status=status,
            limit=limit,
            after=after,
        )

    async def suggestion(self, suggestion_id: str, actor: Actor) -> SuggestionView:
        return await self._call("suggestion", SuggestionView, suggestion_id=suggestion_id, actor=actor)

    async def edit_suggestion(self, suggestion_id: str, command: EditSuggestionIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "edit_suggestion", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def submit_suggestion(self, suggestion_id: str, command: SuggestionActionIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "submit_suggestion", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def return_suggestion(self, suggestion_id: str, command: ReturnSuggestionIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "return_suggestion", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def accept_suggestion(self, suggestion_id: str, command: SuggestionActionIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "accept_suggestion", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def merge_suggestions(self, suggestion_id: str, command: MergeSuggestionsIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "merge_suggestions", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def opinion_groups(self, division_prefix: str, limit: int, after: str | None) -> Page[OpinionGroupView]:
        return await self._call(
            "opinion_groups", Page[OpinionGroupView], division_prefix=division_prefix, limit=limit, after=after
        )

    async def merge_group(self, group_id: str, merge: MergeGroupIn, actor: Actor) -> OpinionGroupView:
        return await self._call("merge_group", OpinionGroupView, group_id=group_id, merge=merge, actor=actor)

    async def split_group(self, group_id: str, split: SplitGroupIn, actor: Actor) -> OpinionGroupView:
        return await self._call("split_group", OpinionGroupView, group_id=group_id, split=split, actor=actor)

    async def hot_words(self, division: str, first_day: str, last_day: str, limit: int) -> HotWordsView:
        return await self._call(
            "hot_words", HotWordsView, division=division, first_day=first_day, last_day=last_day, limit=limit
        )

    async def public_view(self, tracking_code: str) -> PublicOpinionView:
        return await self._call("public_view", PublicOpinionView, tracking_code=tracking_code)

    async def staff_view(self, tracking_code: str, actor: Actor) -> StaffOpinionView:
        return await self._call("staff_view", StaffOpinionView, tracking_code=tracking_code, actor=actor)

    async def submit_staff_opinion(self, command: SubmitOpinion, actor: Actor) -> OpinionReceipt:
        return await self._call("submit_staff_opinion", OpinionReceipt, command=command, actor=actor)

    async def erase_contact(self, tracking_code: str, erasure: EraseContactIn) -> ContactErasedView:
        return await self._call("erase_contact", ContactErasedView, tracking_code=tracking_code, erasure=erasure)

    async def prove_submitter(self, tracking_code: str, proof: EraseContactIn) -> SubmitterProof:
        return await self._call("prove_submitter", SubmitterProof, tracking_code=tracking_code, proof=proof)

    async def unknown_photos(self, photo_ids: list[str]) -> list[str]:
        return await self._call("unknown_photos", list[str], photo_ids=photo_ids)

    async def photo(self, photo_id: str) -> PhotoInfo:
        return await self._call("photo", PhotoInfo, photo_id=photo_id)

    async def reencrypt_contacts(self, batch: int) -> ReencryptionReport:
        return await self._call("reencrypt_contacts", ReencryptionReport, batch=batch)

    async def public_requests(self, query: RequestQuery) -> list[PublicRequest]:
        return await self._call("public_requests", list[PublicRequest], query=query)

    async def public_request(self, case_number: str) -> PublicRequest:
        return await self._call("public_request", PublicRequest, case_number=case_number)

    async def categories(self, division: str) -> CategoryList:
        return await self._call("categories", CategoryList, division=division)

    async def set_categories(self, division: str, categories: CategoriesIn) -> CategoryList:
        return await self._call("set_categories", CategoryList, division=division, categories=categories)

    async def import_opinions(self, commands: list[SubmitOpinion], actor: Actor) -> list[ImportOutcome]:
        wires = [command.model_dump(mode="json") for command in commands]
        return await self._call("import_opinions", list[ImportOutcome], commands=wires, actor=actor)

    async def register_area(self, area: AreaIn) -> AreaEntry:
        return await self._call("register_area", AreaEntry, area=area)

    async def register_grid(self, grid: GridIn) -> GridEntry:
        return await self._call("register_grid", GridEntry, grid=grid)

    async def register_station(self, station: StationIn) -> StationEntry:
        return await self._call("register_station", StationEntry, station=station)

    async def register_deputy(self, deputy: DeputyIn) -> DeputyEntry:
        return await self._call("register_deputy", DeputyEntry, deputy=deputy)

    async def update_entry(self, kind: DirectoryKind, entry_id: str, changes: Changes) -> Entry:
        return await self._call("update_entry", ENTRIES[kind], kind=kind.value, entry_id=entry_id, changes=changes)

    async def directory_entry(self, kind: DirectoryKind, entry_id: str) -> Entry:
        return await self._call("directory_entry", ENTRIES[kind], kind=kind.value, entry_id=entry_id)

    async def directory_entries(
        self, kind: DirectoryKind, division_prefix: str, active: bool | None, limit: int, after: str | None
    ) -> Page[Entry]:
        return await self._call(
            "directory_entries",
            Page[ENTRIES[kind]],
            kind=kind.value,
            division_prefix=division_prefix,
            active=active,
            limit=limit,
            after=after,
        )

    async def receiver(self, kind: str, entry_id: str) -> ReceiverCard:
        return await self._call("receiver", ReceiverCard, kind=kind, entry_id=entry_id)

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

    async def find_cases(self, query: CaseQuery, actor: Actor) -> Page[CaseView]:
        return await self._call("find_cases", Page[CaseView], query=query, actor=actor)

    async def case_detail(self, case_id: str, actor: Actor) -> CaseDetail:
        return await self._call("case_detail", CaseDetail, case_id=case_id, actor=actor)

    async def accept_case(self, case_id: str, command: AcceptCaseIn, actor: Actor) -> CaseView:
        return await self._call("accept_case", CaseView, case_id=case_id, command=command, actor=actor)

    async def set_result_scheme(self, division: str, scheme: ResultSchemeIn) -> ResultSchemeView:
        return await self._call("set_result_scheme", ResultSchemeView, division=division, scheme=scheme)

    async def result_scheme(self, division: str) -> ResultSchemeView:
        return await self._call("result_scheme", ResultSchemeView, division=division)

    async def act_on_case(self, case_id: str, action: str, command: ActionIn, actor: Actor) -> CaseView:
        return await self._call("act_on_case", CaseView, case_id=case_id, action=action, command=command, actor=actor)

    async def register_unit(self, unit: UnitIn) -> UnitView:
        return await self._call("register_unit", UnitView, unit=unit)

    async def unit(self, unit_id: str) -> UnitView:
        return await self._call("unit", UnitView, unit_id=unit_id)

    async def add_rule(self, rule: RoutingRuleIn) -> RuleView:
        return await self._call("add_rule", RuleView, rule=rule)

    # units, rules, deadline policies, the triage queue (rules helper)
    async def update_unit(self, unit_id: str, change: UnitChangeIn, actor: Actor) -> UnitView:
        return await self._call("update_unit", UnitView, unit_id=unit_id, change=change, actor=actor)

    async def deactivate_unit(self, unit_id: str, actor: Actor) -> UnitView:
        return await self._call("deactivate_unit", UnitView, unit_id=unit_id, actor=actor)

    async def list_units(self, division: str, include_inactive: bool) -> list[UnitView]:
        return await self._call("list_units", list[UnitView], division=division, include_inactive=include_inactive)

    async def list_rules(self, division: str) -> list[RuleView]:
        return await self._call("list_rules", list[RuleView], division=division)

    async def update_rule(self, rule_id: str, rule: RoutingRuleIn, actor: Actor) -> RuleView:
        return await self._call("update_rule", RuleView, rule_id=rule_id, rule=rule, actor=actor)

    async def delete_rule(self, rule_id: str, actor: Actor) -> RuleView:
        return await self._call("delete_rule", RuleView, rule_id=rule_id, actor=actor)

    async def set_deadline_policies(self, policies: DivisionDeadlinesIn) -> DivisionDeadlinesIn:
        return await self._call("set_deadline_policies", DivisionDeadlinesIn, policies=policies)

    async def deadline_policies(self, division: str) -> DivisionDeadlinesIn:
        return await self._call("deadline_policies", DivisionDeadlinesIn, division=division)

    async def triage_queue(self, division: str, limit: int, after: str | None) -> Page[TriageQueueEntry]:
        return await self._call("triage_queue", Page[TriageQueueEntry], division=division, limit=limit, after=after)

    async def late_assignments(self, division: str, limit: int) -> list[LateAssignment]:
        return await self._call("late_assignments", list[LateAssignment], division=division, limit=limit)

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

    async def evaluate_case(self, case_id: str, evaluation: EvaluationIn, actor: Actor) -> EvaluationView:
        return await self._call("evaluate_case", EvaluationView, case_id=case_id, evaluation=evaluation, actor=actor)

    async def evaluate_as_citizen(self, case_id: str, evaluation: EvaluationIn) -> EvaluationView:
        return await self._call("evaluate_as_citizen", EvaluationView, case_id=case_id, evaluation=evaluation)


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


class PhotoFiles:
    """intake's HTTP entrypoint for photo bytes, which never go through the broker (the why is in
    services/intake/photos/entrypoints.py). Its refusals come back as the same `ServiceError`s."""

    def __init__(self, base_url: str, transport: httpx.AsyncBaseTransport | None = None, timeout: float = 30.0):
        self.http = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=timeout)

    async def upload(self, data: bytes, uploaded_by: str) -> PhotoUploaded:
        headers = {"X-Uploaded-By": uploaded_by, "Content-Type": "application/octet-stream"}
        answer = await self._send(self.http.build_request("POST", "/photos", content=data, headers=headers))
        return PhotoUploaded.model_validate_json(await answer.aread())

    async def download(self, photo_id: str) -> httpx.Response:
        """The answer with its body still to read (`aiter_bytes`); the caller closes it (`aclose`)."""
        return await self._send(self.http.build_request("GET", f"/photos/{photo_id}"))

    async def _send(self, request: httpx.Request) -> httpx.Response:
        request.headers["X-Correlation-Id"] = correlation_id.get()
        try:
            answer = await self.http.send(request, stream=True)
        except httpx.HTTPError as error:
            detail = f"照片存储暂不可用 (intake's photo endpoint: {error!r})"
            raise ServiceError(ErrorCode.UNAVAILABLE, detail) from None
        if answer.status_code < 400:
            return answer
        body = await answer.aread()
        await answer.aclose()
        try:
            refusal = json.loads(body)
            error = ServiceError(refusal["code"], refusal["detail"], refusal.get("field"))
        except (ValueError, KeyError, TypeError):
            error = ServiceError(
                ErrorCode.UNAVAILABLE, f"照片存储出错 (intake's photo endpoint answered {answer.status_code})"
            )
        raise error

    async def close(self) -> None:
        await self.http.aclose()

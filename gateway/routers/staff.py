"""Staff views, scoped to the caller's divisions: cases, deadlines, the in-app inbox."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from contracts.rpc import CaseSummary, DeadlineView, NotificationView, StaffOpinionView
from contracts.vocabulary import DIVISION_CODE, Role
from gateway.auth import Principal, require_roles, require_scope
from gateway.platform import PlatformDep

router = APIRouter(prefix="/v1", tags=["staff"])

DivisionQuery = Annotated[str | None, Query(pattern=DIVISION_CODE.pattern, description="defaults to the key's scope")]
Limit = Annotated[int, Query(ge=1, le=500)]

CaseReader = Annotated[
    Principal,
    require_roles(Role.STATION, Role.INFO_OFFICER, Role.SUPERVISOR, Role.DEPUTY, Role.HANDLER, Role.COUNTY_SYSTEM),
]
Supervisor = Annotated[Principal, require_roles(Role.SUPERVISOR)]

# The staff who call the citizen back see the contact in full; everyone else sees it masked.
CALLS_BACK = frozenset({Role.STATION, Role.INFO_OFFICER})


def scoped(principal: Principal, division: str | None) -> str:
    division = division or principal.scope
    require_scope(principal, division)
    return division


@router.get("/cases", response_model=list[CaseSummary])
async def list_cases(principal: CaseReader, platform: PlatformDep, division: DivisionQuery = None, limit: Limit = 100):
    prefix = scoped(principal, division)
    return await platform.broker.call("routing", "list_cases", division_prefix=prefix, limit=limit)


@router.get("/supervision/deadlines", response_model=list[DeadlineView])
async def deadlines(
    principal: Supervisor,
    platform: PlatformDep,
    division: DivisionQuery = None,
    overdue: bool = False,
    limit: Limit = 100,
):
    prefix = scoped(principal, division)
    return await platform.broker.call(
        "supervision", "deadlines", division_prefix=prefix, overdue_only=overdue, limit=limit
    )


@router.get("/notifications", response_model=list[NotificationView])
async def notifications(
    principal: CaseReader,
    platform: PlatformDep,
    recipient: Annotated[str, Query(pattern=r"^(unit|deputy|station|supervisor):[a-z0-9_-]{1,64}$")],
    division: DivisionQuery = None,
    limit: Limit = 50,
):
    prefix = scoped(principal, division)
    return await platform.broker.call("notify", "inbox", recipient=recipient, division_prefix=prefix, limit=limit)


@router.get("/opinions/{tracking_code}", response_model=StaffOpinionView)
async def opinion(tracking_code: Annotated[str, Path(max_length=20)], principal: CaseReader, platform: PlatformDep):
    """One item with the citizen's contact, for staff whose scope covers its division."""
    view = StaffOpinionView.model_validate(
        await platform.broker.call(
            "intake", "staff_view", tracking_code=tracking_code.upper(), reveal_contact=principal.role in CALLS_BACK
        )
    )
    require_scope(principal, view.division)
    return view

"""The supervisor's settings of a division (督查): the rules its red and black lists follow (红黑榜评比规则,
on the rankings page) and whether its public ledger shows the citizen's own words (挂单销号公示).

Each form applies the `Supervisor` rule and the division's scope check, then calls the API route's
own function (`PUT /v1/supervision/rankings/rules/{division}`, `PUT /v1/supervision/ledger-settings/
{division}`); a refusal is shown beside its field with what was typed kept.
"""

from urllib.parse import quote

from fastapi import APIRouter, Request

from contracts.supervision.statistics import RankingRulesIn
from contracts.supervision.watch import LedgerSettingsIn
from gateway.pages.core import FormErrors, Session, render
from gateway.pages.supervision_pages import (
    RULE_FIELDS,
    DivisionQuery,
    Outcome,
    PeriodQuery,
    act,
    done,
    rankings_page,
    supervisor,
)
from gateway.routers.supervision_statistics import set_ranking_rules
from gateway.routers.supervision_watch import ledger_settings, set_ledger_settings

router = APIRouter(prefix="/console/supervision", include_in_schema=False)


@router.post("/rankings/rules")
async def save_ranking_rules(
    request: Request, session: Session, division: DivisionQuery = None, period: PeriodQuery = None
):
    """Sets the division's own 红黑榜 rules: the thresholds and the fewest cases to be ranked."""
    actor, division, supervision = await supervisor(request, session, division)
    outcome = await act(
        request,
        session,
        "rules",
        RankingRulesIn,
        RULE_FIELDS,
        lambda body, actor: set_ranking_rules(principal=actor, division=division, statistics=supervision, rules=body),
    )
    if outcome.errors:
        return await rankings_page(request, session, division, period, outcome, 422)
    path = f"/console/supervision/rankings?division={division}"
    return done(f"{path}&period={quote(period, safe='')}" if period else path, "rules")


async def ledger_settings_page(request, session, division, outcome: Outcome | None = None, status=200):
    actor, division, supervision = await supervisor(request, session, division)
    current = await ledger_settings(division=division, principal=actor, supervision=supervision)
    outcome = outcome or Outcome()
    return render(
        request,
        "console/supervision/ledger_settings.html",
        status_code=status,
        division=division,
        current=current,
        typed=outcome.typed.get("ledger") or {"show_text": "true" if current.show_text else "false"},
        errors=outcome.errors.get("ledger", FormErrors()),
        done=request.query_params.get("done"),
    )


@router.get("/ledger-settings")
async def ledger_settings_form(request: Request, session: Session, division: DivisionQuery = None):
    return await ledger_settings_page(request, session, division)


@router.post("/ledger-settings")
async def save_ledger_settings(request: Request, session: Session, division: DivisionQuery = None):
    """Whether the division's public ledger (and those below it without their own choice) shows the
    citizen's words."""
    actor, division, supervision = await supervisor(request, session, division)
    outcome = await act(
        request,
        session,
        "ledger",
        LedgerSettingsIn,
        ("show_text",),
        lambda body, actor: set_ledger_settings(division=division, body=body, principal=actor, supervision=supervision),
    )
    if outcome.errors:
        return await ledger_settings_page(request, session, division, outcome, 422)
    return done(f"/console/supervision/ledger-settings?division={division}", "ledger")

"""Near-duplicate groups (合并处置) and hot words (民情热词), within the key's scope.

Staff see each group with its members (never their contact); a station merges a group into one
case, which every submitter then follows, or takes members out of it.
"""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.intake.grouping import (
    GROUP_ID_PATTERN,
    HotWordsView,
    MergeGroupIn,
    OpinionGroupView,
    SplitGroupIn,
)
from contracts.vocabulary import Role
from gateway.deps import Cursor, Intake, Limit, ScopedDivision, allowed
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import Problem, problem_responses
from infra.clock import local_today

router = APIRouter(prefix="/v1", tags=["grouping"])

GroupReader = allowed(Role.STATION, Role.INFO_OFFICER, Role.DEPUTY, Role.SUPERVISOR, Role.LEGISLATIVE_OFFICE)
GroupKeeper = allowed(Role.STATION)
HotWordReader = allowed(
    Role.STATION,
    Role.INFO_OFFICER,
    Role.DEPUTY,
    Role.SUPERVISOR,
    Role.HANDLER,
    Role.LEGISLATIVE_OFFICE,
    Role.CONTACT_POINT,
)
GroupId = Annotated[str, Path(pattern=GROUP_ID_PATTERN, examples=["01JDQ8M5V6X4T2R9K7W3B1N0PZ"])]
DEFAULT_DAYS = 30
MAX_DAYS = 366


@router.get(
    "/opinion-groups",
    response_model=list[OpinionGroupView],
    responses={**PAGED, **problem_responses(401, 403, 422)},
)
async def list_groups(
    request: Request,
    response: Response,
    principal: GroupReader,
    division: ScopedDivision,
    intake: Intake,
    limit: Limit = 50,
    after: Cursor = None,
):
    """Groups of near-duplicates (same division, within 30 days, the same problem in other words) of
    the division and below, newest first: each with its size and members."""
    return items_with_next_link(request, response, await intake.opinion_groups(division, limit, after))


@router.post(
    "/opinion-groups/{group_id}/merge",
    response_model=OpinionGroupView,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def merge_group(
    group_id: GroupId, body: MergeGroupIn, principal: GroupKeeper, intake: Intake
) -> OpinionGroupView:
    """合并处置: the group is handled as the `primary`'s case; the other members' cases become
    `merged` and every submitter follows the primary's outcome. Merging again merges the members
    that joined since; a different primary is 409."""
    return await intake.merge_group(group_id, body, principal)


@router.post(
    "/opinion-groups/{group_id}/split",
    response_model=OpinionGroupView,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def split_group(
    group_id: GroupId, body: SplitGroupIn, principal: GroupKeeper, intake: Intake
) -> OpinionGroupView:
    """Takes `members` out of the group; later items do not put them back. Merged members and the
    primary stay (409); with fewer than two members left, the group is dissolved."""
    return await intake.split_group(group_id, body, principal)


@router.get("/hot-words", response_model=HotWordsView, responses=problem_responses(401, 403, 422))
async def hot_words(
    principal: HotWordReader,
    division: ScopedDivision,
    intake: Intake,
    first_day: Annotated[
        date | None,
        Query(alias="from", description="起始日（北京时间，含）；默认为 30 天前 / first day, Asia/Shanghai"),
    ] = None,
    last_day: Annotated[
        date | None, Query(alias="to", description="结束日（北京时间，含）；默认为今天 / last day, Asia/Shanghai")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="热词个数 / how many terms")] = 20,
) -> HotWordsView:
    """民情热词: the terms most items of the area (the division and below) mentioned over the
    period, stop words left out, each with the number of items that mention it."""
    if not division:
        raise Problem(422, "请求参数不合法", "请指定行政区划 (a division is needed)", "division")
    last = last_day or local_today()
    first = first_day or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise Problem(422, "请求参数不合法", "起始日期晚于结束日期 (from is after to)", "from")
    if (last - first).days + 1 > MAX_DAYS:
        raise Problem(422, "请求参数不合法", f"统计期间不能超过 {MAX_DAYS} 天 (at most {MAX_DAYS} days)", "from")
    return await intake.hot_words(division, first.isoformat(), last.isoformat(), limit)

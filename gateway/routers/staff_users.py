"""Console users: an administrator creates one with a role and a division scope, as for an API key.

The answer carries a first password, shown once; the user must change it at first sign-in.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import Field, ValidationInfo, field_validator

from contracts.actor import Actor
from contracts.vocabulary import Role
from gateway.auth import require_scope
from gateway.deps import Admin, Divisions, Intake, Routing, administered, running_platform
from gateway.deputy_keys import check_deputy
from gateway.problems import Problem, problem_responses
from gateway.schemas import ApiKeyIn, Strict
from gateway.staff_users import StaffUserStore, as_utc, first_password
from infra.clock import utc_now

router = APIRouter(prefix="/v1/admin", tags=["admin"])

USERNAME = r"^[a-z][a-z0-9_.-]{2,31}$"
# people sign in; citizens need no account and county systems call with API keys
NOT_STAFF = {Role.CITIZEN, Role.COUNTY_SYSTEM}


class StaffUserIn(ApiKeyIn):
    username: str = Field(
        pattern=USERNAME,
        description="登录名：小写字母开头，3–32 位小写字母、数字、._- / 3-32 lower-case letters, digits, ._-",
        examples=["xiashi.station"],
    )

    @field_validator("role")
    @classmethod
    def a_person(cls, role: Role, info: ValidationInfo) -> Role:
        if role in NOT_STAFF:
            raise ValueError("群众无需账号，县级系统请使用 API 密钥 (citizens need no account; systems use API keys)")
        return role


class StaffUserCreated(Strict):
    username: str
    role: Role
    scope: str
    label: str
    unit: str | None = None
    deputy_id: str | None = None
    first_password: str = Field(
        description="初始密码，只显示一次，首次登录须修改 / shown once; changed at first sign-in"
    )


async def staff_user_store(request: Request) -> StaffUserStore:
    return running_platform(request).staff_users


StaffUsers = Annotated[StaffUserStore, Depends(staff_user_store)]


async def create_user(
    body: StaffUserIn, principal: Actor, divisions: Divisions, users: StaffUserStore, routing, intake
) -> StaffUserCreated:
    """Checks scope, unit and deputy as for an API key, then stores the user; 409 if the username is taken."""
    await administered(principal, divisions, body.scope, "scope")
    if body.unit is not None:
        unit = await routing.unit(body.unit)
        require_scope(principal, unit.division, "unit")
    if body.deputy_id is not None:
        await check_deputy(principal, intake, body.deputy_id)
    password = first_password()
    if (
        await users.create(body.username, body.role, body.scope, body.label, body.unit, password, body.deputy_id)
        is None
    ):
        raise Problem(409, "登录名已被使用", f"The username {body.username} is taken", "username")
    return StaffUserCreated(**body.model_dump(), first_password=password)


@router.post(
    "/users",
    status_code=201,
    response_model=StaffUserCreated,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_staff_user(
    body: StaffUserIn, principal: Admin, divisions: Divisions, users: StaffUsers, routing: Routing, intake: Intake
) -> StaffUserCreated:
    """A console user (工作人员账号) with a role, a division scope and, for a handling unit, its unit
    (for a deputy, the directory's deputy it is). The first password is in the answer, once; the
    user changes it at first sign-in."""
    return await create_user(body, principal, divisions, users, routing, intake)


class StaffUserView(Strict):
    """A console user as an administrator sees it: never its password, nor its hash."""

    username: str = Field(examples=["xiashi.station"])
    role: Role
    scope: str = Field(examples=["330481001"])
    label: str = Field(examples=["硖石联络站 沈"])
    unit: str | None = None
    deputy: str | None = None
    must_change_password: bool = Field(description="尚未修改初始密码 / has not yet changed the first password")
    disabled_at: datetime | None = Field(default=None, description="停用时间 / when it was disabled")


def user_view(user: dict) -> StaffUserView:
    disabled_at = user.get("disabled_at")
    return StaffUserView(
        username=user["_id"],
        **{name: user.get(name) for name in ("role", "scope", "label", "unit", "deputy")},
        must_change_password=user.get("must_change_password", False),
        disabled_at=as_utc(disabled_at) if disabled_at else None,
    )


async def users_in_scope(principal: Actor, users: StaffUserStore) -> list[StaffUserView]:
    return [user_view(user) for user in await users.listed(principal.scope, 500)]


async def disable_user(username: str, principal: Actor, users: StaffUserStore) -> StaffUserView:
    """404 for an unknown user, 403 outside the administrator's scope, 409 for oneself; once disabled, stays so."""
    user = await users.get(username)
    if user is None:
        raise Problem(404, "用户不存在", f"No user {username}", "username")
    require_scope(principal, user["scope"], "username")
    if principal.key_id == f"user:{username}":
        raise Problem(409, "不能停用自己的账号", "An administrator may not disable its own account", "username")
    return user_view(await users.disable(username, utc_now()))


@router.get("/users", response_model=list[StaffUserView], responses=problem_responses(401, 403))
async def list_staff_users(principal: Admin, users: StaffUsers) -> list[StaffUserView]:
    """工作人员账号: the console users of the administrator's scope and below, by username (at most 500)."""
    return await users_in_scope(principal, users)


@router.post(
    "/users/{username}/disable",
    response_model=StaffUserView,
    responses=problem_responses(401, 403, 404, 409),
)
async def disable_staff_user(
    username: Annotated[str, Path(pattern=USERNAME, examples=["xiashi.station"])], principal: Admin, users: StaffUsers
) -> StaffUserView:
    """停用账号: the user can no longer sign in and its open sessions end at their next request. Within
    the administrator's scope only; disabling it again answers the same."""
    return await disable_user(username, principal, users)

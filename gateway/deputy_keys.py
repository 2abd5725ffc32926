"""A deputy's key or console user names the deputy it is: an active entry of intake's directory
within the administrator's scope, checked as a handler's unit is checked against routing's units.

That id is what makes a deputy a principal: the inbox it reads (`deputy:<id>`) and the suggestions
whose replies it alone may evaluate.
"""

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.directory import DirectoryKind
from gateway.auth import require_scope
from gateway.clients import IntakeClient
from gateway.problems import Problem


async def check_deputy(principal: Actor, intake: IntakeClient, deputy_id: str) -> None:
    """422 for a deputy the directory does not hold or has deactivated; 403 outside the admin's scope."""
    try:
        entry = await intake.directory_entry(DirectoryKind.DEPUTY, deputy_id)
    except ServiceError as error:
        if error.code is not ErrorCode.NOT_FOUND:
            raise
        raise Problem(422, "代表名录中没有这位代表", f"No deputy {deputy_id} in the directory", "deputy_id") from None
    if not entry.active:
        raise Problem(422, "这位代表已停用", f"Deputy {deputy_id} is deactivated", "deputy_id")
    require_scope(principal, entry.division, "deputy_id")

"""One batch of an import: each row's command received on its own, each answered with an outcome.

A row that intake refuses (a grid of another county, a category not on the division's list, a
division outside the key's scope) is answered with the field and the reason and changes nothing;
the rows around it are received all the same. Anything else (the store down) fails the batch:
the rows already received stay, and sending the file again is harmless, since a county system's
id seen before answers the stored item.
"""

from collections.abc import Callable

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError, parse
from contracts.intake.imports import ImportOutcome, RowError
from contracts.intake.opinions import CountySystemDetails, OpinionReceipt, SubmitOpinion
from contracts.vocabulary import Role

IMPORTERS = frozenset({Role.COUNTY_SYSTEM, Role.ADMIN})
ROW_REFUSALS = frozenset({ErrorCode.INVALID, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})

Receive = Callable[[SubmitOpinion], OpinionReceipt]


def import_batch(commands: list[dict], actor: Actor, receive: Receive) -> list[ImportOutcome]:
    """The outcome of each command, in order; `receive` stores one item (or finds it stored before)."""
    if actor.role not in IMPORTERS:
        raise ServiceError(ErrorCode.FORBIDDEN, "只有县级系统或管理员可以批量导入 (county systems only)", "role")
    return [outcome_of(wire, receive) for wire in commands]


def outcome_of(wire: dict, receive: Receive) -> ImportOutcome:
    try:
        command = parse(SubmitOpinion, wire)
        if not isinstance(command.details, CountySystemDetails):
            raise ServiceError(ErrorCode.INVALID, "导入的事项须来自县级系统 (channel must be county_system)", "channel")
        receipt = receive(command)
    except ServiceError as refused:
        if refused.code not in ROW_REFUSALS:
            raise
        return ImportOutcome(error=RowError(field=refused.field or "row", reason=refused.detail))
    return ImportOutcome(
        tracking_code=receipt.tracking_code, case_number=receipt.case_number, duplicate=receipt.duplicate
    )

"""Bulk import of items from county systems: a CSV, XLSX or JSON file in, a report on every row out."""

import logging
import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile
from prometheus_client import Counter
from starlette.concurrency import run_in_threadpool

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.imports import ImportLine, ImportOutcome, ImportReport, RowError, RowStatus
from contracts.intake.opinions import CountySystemDetails, SubmitOpinion
from contracts.vocabulary import Channel, Role
from gateway.broker import ServiceUnavailable
from gateway.clients import IntakeClient
from gateway.deps import Divisions, Intake, PlatformDep, ScopedDivision, allowed
from gateway.imports.columns import Checked, check_rows, column_table
from gateway.imports.files import MAX_FILE_BYTES, MAX_ROWS, ImportFile, ImportFileError, read_import_file
from gateway.imports.template import XLSX_MEDIA_TYPE, template_xlsx
from gateway.problems import PROBLEM_JSON, Problem, problem_responses
from gateway.routers.opinions import new_tracking_code
from infra.clock import utc_now
from infra.pii import PiiCipher

router = APIRouter(prefix="/v1", tags=["imports"])
log = logging.getLogger(__name__)

# rows per RPC to intake: neither one call per row nor the whole file in one message
FIRST_BATCH_ROWS, MIN_BATCH_ROWS, MAX_BATCH_ROWS = 100, 10, 500
IMPORTED_ROWS = Counter("opinion_import_rows_total", "Rows of county systems' import files", ["status"])
# intake names the command's fields; the report names the file's columns
COLUMN_OF = {"details.external_id": "external_id", "details.system": "external_id", "contact": "contact_phone"}

Importer = allowed(Role.COUNTY_SYSTEM)


TOO_LARGE = {
    413: {
        "description": f"文件超过 {MAX_ROWS} 行或 {MAX_FILE_BYTES // (1024 * 1024)} MB / over the row or size limit",
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
    }
}
IMPORT_FORMAT = f"""县级系统批量导入民情事项 (bulk import from a county system): a file of up to {MAX_ROWS} rows,
uploaded as `multipart/form-data` in the field `file`, answered with a report on every row.

- **Formats**, judged by content: XLSX (the first sheet), CSV (UTF-8 with or without BOM, or GB18030
  as Excel writes it; comma or tab separated), or JSON (an array of row objects with the column names
  as keys). In XLSX and CSV the first row is the header, with the column names below.
- **Report**: rows are numbered as a spreadsheet shows them (header = row 1; in JSON, the position
  in the array from 1). Each is `accepted` with its tracking code and case number,
  `already_imported` (the same `external_id` in the same division was imported before: the stored
  item's codes, nothing new), or `rejected` with every field that is wrong and the reason.
  Rejected rows change nothing; correct them and send the whole file again.
- **Division**: `division` (default: the key's scope) bounds the rows; each row's own division must
  lie within it.
- **Whole-file refusals** (`field` = `file`): 415 not CSV, XLSX or JSON (e.g. an old .xls); 413 over
  {MAX_ROWS} rows or {MAX_FILE_BYTES // (1024 * 1024)} MB; 422 malformed (bad JSON, unreadable
  XLSX, empty, or a header with unknown or missing columns, listed in `errors`).
- **Template**: `GET /v1/imports/opinions/template.xlsx`.

{column_table()}
"""


@router.post(
    "/imports/opinions",
    response_model=ImportReport,
    responses={**TOO_LARGE, **problem_responses(401, 403, 415, 422, 503)},
    description=IMPORT_FORMAT,
)
async def import_opinions(
    principal: Importer,
    division: ScopedDivision,
    divisions: Divisions,
    intake: Intake,
    platform: PlatformDep,
    file: Annotated[UploadFile, File(description="CSV、XLSX 或 JSON 文件 / the CSV, XLSX or JSON file")],
) -> ImportReport:
    """A county system's file of items: valid rows are received, invalid ones are reported and change nothing."""
    now = utc_now()
    data = await file.read(MAX_FILE_BYTES + 1)  # one byte more tells a file over the limit
    try:
        upload, checked = await run_in_threadpool(read_and_check, data, file.filename or "", division, now)
    except ImportFileError as refused:
        extra = {"errors": refused.errors} if refused.errors else {}
        raise Problem(refused.status, refused.title, refused.detail, "file", **extra) from None
    lines = {c.number: rejected(c.number, c.external_id, c.errors) for c in checked if c.row is None}
    valid = [c for c in checked if c.row is not None]
    unserved = {code for code in {c.row.division for c in valid} if await divisions.get(code) is None}
    for c in [c for c in valid if c.row.division in unserved]:
        lines[c.number] = rejected(c.number, c.row.external_id, [RowError(field="division", reason=UNSERVED)])
    valid = [c for c in valid if c.row.division not in unserved]
    commands = await run_in_threadpool(commands_for, valid, principal, platform.cipher, now)
    await receive_in_batches(intake, principal, valid, commands, lines, platform.settings.rpc_timeout_seconds)
    report = report_of(upload.format, lines)
    for status in RowStatus:
        IMPORTED_ROWS.labels(status.value).inc(getattr(report, status.value))
    log.info(
        "import of %d rows (%s): %d accepted, %d already imported, %d rejected",
        report.total, report.format, report.accepted, report.already_imported, report.rejected,
    )  # fmt: skip
    return report


UNSERVED = "该行政区划不由本平台服务 (division not served by this platform)"


def read_and_check(data: bytes, filename: str, division: str, now: datetime) -> tuple[ImportFile, list[Checked]]:
    upload = read_import_file(data, filename)
    return upload, check_rows(upload.rows, division, now)


def commands_for(valid: list[Checked], principal: Actor, cipher: PiiCipher, now: datetime) -> list[SubmitOpinion]:
    system = principal.label or principal.key_id
    return [
        SubmitOpinion(
            tracking_code=new_tracking_code(),
            division=c.row.division,
            channel=Channel.COUNTY_SYSTEM,
            content=c.row.content,
            submitted_at=c.row.submitted_at.astimezone(UTC) if c.row.submitted_at else now,
            contact=cipher.seal(c.row.contact_name, c.row.contact_phone)
            if c.row.contact_name or c.row.contact_phone
            else None,
            category=c.row.category,
            details=CountySystemDetails(system=system, external_id=c.row.external_id),
            grid_id=c.row.grid_id,
            entered_by=principal.label or None,
        )
        for c in valid
    ]


async def receive_in_batches(
    intake: IntakeClient,
    principal: Actor,
    valid: list[Checked],
    commands: list[SubmitOpinion],
    lines: dict[int, ImportLine],
    rpc_timeout: float,
) -> None:
    """Batch after batch, each answered before the next goes, each sized from the last one's pace to
    take about a quarter of the RPC timeout. Should intake fail midway, the rows received so far stay,
    and sending the file again is harmless (each row already imported is reported as such)."""
    pairs = list(zip(valid, commands, strict=True))
    done, size = 0, FIRST_BATCH_ROWS
    while done < len(pairs):
        batch = pairs[done : done + size]
        started = time.monotonic()
        try:
            outcomes = await intake.import_opinions([command for _, command in batch], principal)
        except (ServiceUnavailable, ServiceError) as failure:
            if isinstance(failure, ServiceError) and failure.code is not ErrorCode.UNAVAILABLE:
                raise
            raise Problem(
                503,
                "导入中断，请稍后将整个文件再次导入",
                f"前 {done} 行有效数据已处理；再次导入不会重复登记 (interrupted after {done} valid rows; "
                f"sending the whole file again creates no duplicates): {failure}",
                "file",
            ) from None
        if len(outcomes) != len(batch):
            raise RuntimeError(f"intake answered {len(outcomes)} outcomes for {len(batch)} rows")
        for (checked, _), outcome in zip(batch, outcomes, strict=True):
            lines[checked.number] = line_of(checked, outcome)
        done += len(batch)
        size = next_batch_size(len(batch), time.monotonic() - started, rpc_timeout / 4)


def next_batch_size(rows: int, seconds: float, target_seconds: float) -> int:
    """As many rows as the last batch's pace fits in `target_seconds`, between MIN and MAX_BATCH_ROWS."""
    per_row = max(seconds / rows, 1e-6)
    return max(MIN_BATCH_ROWS, min(MAX_BATCH_ROWS, int(target_seconds / per_row)))


def line_of(checked: Checked, outcome: ImportOutcome) -> ImportLine:
    if outcome.error is not None:
        error = RowError(field=COLUMN_OF.get(outcome.error.field, outcome.error.field), reason=outcome.error.reason)
        return rejected(checked.number, checked.row.external_id, [error])
    return ImportLine(
        row=checked.number,
        external_id=checked.row.external_id,
        status=RowStatus.ALREADY_IMPORTED if outcome.duplicate else RowStatus.ACCEPTED,
        tracking_code=outcome.tracking_code,
        case_number=outcome.case_number,
    )


def rejected(number: int, external_id: str | None, errors: list[RowError]) -> ImportLine:
    return ImportLine(row=number, external_id=external_id, status=RowStatus.REJECTED, errors=errors)


def report_of(file_format: str, lines: dict[int, ImportLine]) -> ImportReport:
    rows = [lines[number] for number in sorted(lines)]
    counts = {status: sum(1 for line in rows if line.status is status) for status in RowStatus}
    return ImportReport(
        format=file_format,
        total=len(rows),
        accepted=counts[RowStatus.ACCEPTED],
        already_imported=counts[RowStatus.ALREADY_IMPORTED],
        rejected=counts[RowStatus.REJECTED],
        rows=rows,
    )


@router.get(
    "/imports/opinions/template.xlsx",
    response_class=Response,
    responses={
        200: {
            "description": "导入模板 / the import template",
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(401, 403),
    },
)
async def import_template(principal: Importer) -> Response:
    """导入模板 (XLSX): the header row and a sample row on the first sheet, and a second sheet (填写说明)
    explaining each column in Chinese."""
    return Response(
        template_xlsx(),
        media_type=XLSX_MEDIA_TYPE,
        headers={"content-disposition": 'attachment; filename="opinions-import-template.xlsx"'},
    )

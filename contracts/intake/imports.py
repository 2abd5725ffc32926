"""Bulk import from county systems (县级系统批量导入): what intake answers for each row of a batch, and
the report the caller gets back. The file's columns and the check of one row are the gateway's
(`gateway.imports`)."""

from enum import StrEnum

from pydantic import BaseModel, Field


class RowError(BaseModel):
    field: str = Field(examples=["contact_phone"])
    reason: str = Field(examples=["手机号或固定电话格式不正确 (phone number is not a valid mainland number)"])


class ImportOutcome(BaseModel):
    """intake's answer for one command of a batch, in the batch's order: stored (or found stored
    before, `duplicate`), or refused with the field and the reason, nothing stored."""

    tracking_code: str | None = None
    case_number: str | None = None
    duplicate: bool = False
    error: RowError | None = None


class RowStatus(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_IMPORTED = "already_imported"
    REJECTED = "rejected"


class ImportLine(BaseModel):
    """One row of the file in the report. Rows are numbered as a spreadsheet shows them (the header
    is row 1, so the first item is row 2); in a JSON file, by their position in the array from 1."""

    row: int = Field(examples=[2])
    external_id: str | None = Field(default=None, examples=["HN12345-2026-00871"])
    status: RowStatus
    tracking_code: str | None = Field(default=None, examples=["7K3P-9XTA-2MQD"])
    case_number: str | None = Field(default=None, examples=["330481-2026-000123"])
    errors: list[RowError] = Field(default_factory=list)


class ImportReport(BaseModel):
    """Every row of the file, in order: accepted with its tracking code and case number, already
    imported before (the stored item's codes), or rejected with each field and the reason."""

    format: str = Field(examples=["csv"])
    total: int = Field(examples=[3])
    accepted: int = Field(examples=[1])
    already_imported: int = Field(examples=[1])
    rejected: int = Field(examples=[1])
    rows: list[ImportLine]

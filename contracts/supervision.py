"""supervision's contracts: the answers of its RPCs."""

from datetime import date

from pydantic import BaseModel

from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus, Instant


class DeadlineView(BaseModel):
    case_id: str
    division: str
    lead_unit: UnitRef
    assigned_at: Instant
    due_date: date
    calendar_fallback: bool
    status: CaseStatus
    overdue: bool

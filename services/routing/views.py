"""What staff see of a case: a line of a listing, or the whole case with its history."""

from contracts.case_finding import CaseDetail
from contracts.routing import CaseView
from services.routing.case import Case


def case_view(case: Case) -> CaseView:
    return CaseView.model_validate(case.model_dump(include=set(CaseView.model_fields)))


def case_detail(case: Case) -> CaseDetail:
    return CaseDetail.model_validate(case.model_dump(include=set(CaseDetail.model_fields)))

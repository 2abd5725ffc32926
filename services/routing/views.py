"""What staff see of a case."""

from contracts.routing import CaseView
from services.routing.case import Case


def case_view(case: Case) -> CaseView:
    return CaseView.model_validate(case.model_dump(include=set(CaseView.model_fields)))

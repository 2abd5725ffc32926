"""Each division's item categories: public to read, set by the division's administrator."""

from typing import Annotated

from fastapi import APIRouter, Path

from contracts.intake.categories import CategoriesIn, CategoryList
from contracts.vocabulary import DIVISION_CODE
from gateway.deps import Admin, DivisionParam, Divisions, Intake, administered
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1", tags=["categories"])

DivisionPath = Annotated[str, Path(pattern=DIVISION_CODE.pattern, examples=["330481"])]


@router.get("/public/categories", response_model=CategoryList, responses=problem_responses(422))
async def categories(division: DivisionParam, intake: Intake) -> CategoryList:
    """The categories an item of this division may carry: its own list, the nearest enclosing
    division's, or the national default (no key needed)."""
    return await intake.categories(division)


@router.put("/admin/categories/{division}", response_model=CategoryList, responses=problem_responses(401, 403, 422))
async def set_categories(
    division: DivisionPath, body: CategoriesIn, principal: Admin, divisions: Divisions, intake: Intake
):
    """Replaces the division's own list (its townships and villages inherit it unless they set theirs).
    Items already filed keep their category."""
    await administered(principal, divisions, division)
    return await intake.set_categories(division, body)

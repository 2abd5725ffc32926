"""Each division's list of item categories (道路交通, 市政设施...): what an item may carry and rules match."""

from typing import Annotated

from pydantic import BaseModel, Field

CategoryName = Annotated[str, Field(min_length=1, max_length=20, examples=["道路交通"])]


class CategoriesIn(BaseModel):
    names: list[CategoryName] = Field(
        min_length=1, max_length=100, examples=[["道路交通", "市政设施", "环境保护", "加装电梯", "其他"]]
    )


class CategoryList(BaseModel):
    """The division's list: its own, or the nearest enclosing division's, or the national default."""

    division: str
    names: list[str]
    defined_at: str | None = Field(
        description="设定该清单的行政区划，空为全国默认 / the division that set the list, null for the default"
    )

"""Realistic draft texts (written for this project) for the demo data and the legislation tests, kept
as plain text files in `devtools/drafts/` the way an office would paste them."""

from pathlib import Path

DRAFTS = Path(__file__).parent / "drafts"

SANJIANG_TOURISM = (DRAFTS / "sanjiang_tourism.txt").read_text(encoding="utf-8")

# 第三章 skips 第十二条: a paste that lost an article, as the parser must report it
SANJIANG_TOURISM_BROKEN = "".join(
    line for line in SANJIANG_TOURISM.splitlines(keepends=True) if not line.startswith("第十二条")
)

PROPERTY_MANAGEMENT = (DRAFTS / "property_management.txt").read_text(encoding="utf-8")

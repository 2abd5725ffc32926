"""意见汇总: a printable PDF of a draft's aggregated comments, in Chinese, from the counters alone.

The font is a CJK TrueType from Debian (fonts-wqy-microhei, installed by `scripts/ensure-fonts.sh`,
which the make targets call); `CJK_FONT` names another file.
"""

import os
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from contracts.legislation.aggregates import GENERAL, DraftAggregate, Tally
from infra.clock import SHANGHAI
from services.legislation.aggregates.counters import NO_STANCE
from services.legislation.reports.exports import CHANNELS, STANCES

FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
FAMILY = "cjk"


class FontMissing(RuntimeError):
    pass


def font_file() -> Path:
    for candidate in (os.environ.get("CJK_FONT"), *FONT_FILES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("没有中文字体：请运行 scripts/ensure-fonts.sh (no CJK font: run scripts/ensure-fonts.sh)")


def breakdown(counts: dict[str, int], names: dict) -> str:
    labelled = {names.get(key, key): count for key, count in counts.items()}
    return "，".join(f"{name} {count}" for name, count in sorted(labelled.items(), key=lambda kv: -kv[1])) or "无"


class Report(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        self.add_font(FAMILY, "", str(font_file()))
        self.set_title(title)
        self.set_auto_page_break(True, margin=15)

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 8, f"第 {self.page_no()} 页", align="C")

    def heading(self, text: str, size: int = 13):
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, size * 0.6, text)
        self.ln(1)

    def paragraph(self, text: str, size: int = 10):
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, size * 0.55, text)
        self.ln(1)


def tally_lines(tally: Tally) -> list[str]:
    return [
        f"意见条数 {tally.comments}，参与人数 {tally.participants}",
        f"按渠道：{breakdown(tally.by_channel, CHANNELS)}",
        f"按态度：{breakdown(tally.by_stance, STANCES | {NO_STANCE: '未表态'})}",
        f"按联系点：{breakdown(tally.by_point, {})}",
        f"按行政区划：{breakdown(tally.by_division, {})}",
    ]


def render(aggregate: DraftAggregate, now: datetime) -> bytes:
    pdf = Report(f"{aggregate.title} 意见汇总")
    pdf.add_page()
    pdf.heading(f"《{aggregate.title}》意见汇总", 16)
    pdf.paragraph(f"生成时间：{now.astimezone(SHANGHAI):%Y年%m月%d日 %H:%M}（北京时间）", 9)
    pdf.heading("一、总体情况")
    for line in tally_lines(aggregate.totals):
        pdf.paragraph(line)
    pdf.heading("二、分条意见")
    for article in aggregate.articles:
        label = "总体意见" if article.article == GENERAL else f"第{article.article}条"
        pdf.heading(f"{label}（意见 {article.comments} 条，参与 {article.participants} 人）", 11)
        for line in tally_lines(article)[1:3]:
            pdf.paragraph(line, 9)
        if article.themes:
            pdf.paragraph("主要关注：" + "、".join(f"{t.term}({t.count})" for t in article.themes), 9)
        for representative in article.representatives[:3]:
            stance = STANCES.get(representative.stance, "") if representative.stance else ""
            who = f"{representative.participants} 人" + (f"，{stance}" if stance else "")
            pdf.paragraph(f"· {representative.excerpt}（{who}）", 9)
    return bytes(pdf.output())

"""Bar charts drawn on the server as SVG: no chart code is loaded, so a page's figures show on an
intranet without JavaScript and print as they look. Colours are presentation attributes, not
styles, under the pages' CSP. Each chart is a `role="img"` whose title names every bar and its
value, and the table beside it has the same figures."""

from dataclasses import dataclass

from markupsafe import Markup, escape

INK, RED = "#1f2328", "#a61b1b"
ROW_HEIGHT = 28
LABEL_WIDTH = 190
BAR_WIDTH = 360
VALUE_WIDTH = 90


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the table prints it ("61.05%", "12 条")


def bars(title: str, items: list[Bar], maximum: float | None = None) -> Markup:
    """Horizontal bars, one per item, scaled to `maximum` (the largest value by default)."""
    top = maximum if maximum is not None else max((item.value for item in items), default=0)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = max(len(items), 1) * ROW_HEIGHT + 8
    summary = "；".join(f"{item.label} {item.shown}" for item in items) or "暂无数据"
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}：{escape(summary)}</title>'
    ]
    for row, item in enumerate(items):
        y = row * ROW_HEIGHT + 4
        length = 0 if top <= 0 else max(BAR_WIDTH * item.value / top, 1 if item.value else 0)
        label = item.label if len(item.label) <= 12 else item.label[:11] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" '
            f'font-size="14" fill="{INK}">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW_HEIGHT - 10}" fill="{RED}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 18}" '
            f'font-size="14" fill="{INK}">{escape(item.shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))

"""Exports of a draft's comments (CSV with a UTF-8 BOM for Excel, XLSX, JSON), with Chinese headers.

Never a contact: only whether the contributor left one.
"""

import csv
import io
import json
from collections.abc import Iterable

from openpyxl import Workbook

from contracts.legislation.comments import AdoptionDecision, CommentChannel, CommentStatus, Stance
from services.legislation.comments.comment import Comment

STANCES = {Stance.SUPPORT: "赞成", Stance.OPPOSE: "反对", Stance.AMEND: "修改建议", Stance.QUESTION: "疑问"}
CHANNELS = {
    CommentChannel.ONLINE: "网上",
    CommentChannel.FACE_TO_FACE: "面对面",
    CommentChannel.SYMPOSIUM: "座谈会",
    CommentChannel.DRUM_TOWER: "鼓楼议事",
    CommentChannel.LIAISON_OFFICER: "联络员收集",
}
STATUSES = {
    CommentStatus.RECEIVED: "待整理",
    CommentStatus.ACCEPTED: "已采用",
    CommentStatus.MERGED: "已合并",
    CommentStatus.REJECTED: "不予上报",
    CommentStatus.SUBMITTED: "已上报",
}
DECISIONS = {
    AdoptionDecision.ADOPTED: "采纳",
    AdoptionDecision.PARTLY_ADOPTED: "部分采纳",
    AdoptionDecision.NOT_ADOPTED: "未采纳",
}
COLUMNS = (
    ("意见编号", "comment_id"),
    ("条文", "articles"),
    ("态度", "stance"),
    ("渠道", "channel"),
    ("行政区划", "division"),
    ("联系点", "point_id"),
    ("原话", "text"),
    ("语种", "language"),
    ("译文", "translation"),
    ("整理后文本", "edited"),
    ("参与人数", "participants"),
    ("状态", "status"),
    ("合并到", "merged_into"),
    ("采纳情况", "adoption"),
    ("采纳理由", "adoption_reason"),
    ("收到时间", "received_at"),
)


def articles_label(numbers: list[int]) -> str:
    return "、".join(f"第{n}条" for n in numbers) if numbers else "总体意见"


def row(comment: Comment) -> dict[str, str | int]:
    return {
        "comment_id": comment.comment_id,
        "articles": articles_label(comment.articles),
        "stance": STANCES[comment.stance] if comment.stance else "",
        "channel": CHANNELS[comment.channel],
        "division": comment.division,
        "point_id": comment.point_id or "",
        "text": comment.text,
        "language": comment.language,
        "translation": comment.translation or "",
        "edited": comment.edited.text if comment.edited else "",
        "participants": comment.participants,
        "status": STATUSES[comment.status],
        "merged_into": comment.merged_into or "",
        "adoption": DECISIONS[comment.adoption.decision] if comment.adoption else "",
        "adoption_reason": comment.adoption.reason if comment.adoption else "",
        "received_at": comment.received_at.isoformat(),
    }


def to_csv(comments: Iterable[Comment]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _ in COLUMNS])
    for comment in comments:
        values = row(comment)
        writer.writerow([values[key] for _, key in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(comments: Iterable[Comment]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("意见")
    sheet.append([title for title, _ in COLUMNS])
    for comment in comments:
        values = row(comment)
        sheet.append([values[key] for _, key in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(comments: Iterable[Comment]) -> bytes:
    """The same views the feed gives, as one array."""
    return json.dumps([comment.view().model_dump(mode="json") for comment in comments], ensure_ascii=False).encode()


FORMATS = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": (to_json, "application/json"),
}

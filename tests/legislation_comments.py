"""A legislation store with one open draft and two contact points, for the comments' tests."""

import base64
from datetime import timedelta

from contracts.legislation.comments import CommentChannel, Meeting, OfflineCommentIn, PublicCommentIn
from contracts.legislation.drafts import Article, DraftLevel
from infra.pii import PiiCipher
from services.legislation.directory.entries import ContactPoint
from services.legislation.drafts.draft import Draft
from services.legislation.store import LegislationStore
from tests.factories import NOW, Publications, actor

DRAFT_ID = "gx-rural-2026"
CIPHER = PiiCipher("k1:" + base64.b64encode(b"k" * 32).decode())
ARTICLES = [
    Article(number=1, chapter="第一章 总则", text="为了促进乡村振兴，制定本条例。"),
    Article(number=2, chapter="第一章 总则", text="本自治区行政区域内的乡村振兴促进工作，适用本条例。"),
    Article(number=3, chapter="第二章 产业发展", text="各级人民政府应当支持特色产业发展。"),
]


def draft(**overrides) -> Draft:
    fields = dict(
        draft_id=DRAFT_ID,
        division="45",
        office_id="gx-fgw",
        title="广西壮族自治区乡村振兴促进条例（草案）",
        level=DraftLevel.PROVINCIAL,
        version_name="征求意见稿",
        articles=ARTICLES,
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=30),
        created_at=NOW - timedelta(days=2),
        created_by="legislative_office:01OFFICE",
    )
    return Draft(**{**fields, **overrides})


def point(point_id: str = "sanjiang-point", division: str = "451226") -> ContactPoint:
    return ContactPoint(point_id=point_id, division=division, name="三江侗族自治县基层立法联系点", created_at=NOW)


def world(db) -> tuple[LegislationStore, Publications]:
    published = Publications()
    store = LegislationStore(db, published)
    store.ensure_indexes()
    store.drafts.add(draft())
    store.points.add(point())
    store.points.add(point("nanning-point", "450102"))
    return store, published


def staff(point_id: str = "sanjiang-point", scope: str = "451226"):
    return actor(role="contact_point", scope=scope, unit=point_id, key_id="01POINT")


def office(scope: str = "45"):
    return actor(role="legislative_office", scope=scope, key_id="01OFFICE")


def public(**overrides) -> PublicCommentIn:
    fields = dict(articles=[3], stance="amend", text="建议第三条增加对侗族大歌等非遗产业的扶持措施。")
    return PublicCommentIn(**{**fields, **overrides})


def offline(**overrides) -> OfflineCommentIn:
    fields = dict(
        point_id="sanjiang-point",
        channel=CommentChannel.DRUM_TOWER,
        meeting=Meeting(held_on=NOW.date(), place="程阳八寨马鞍寨鼓楼", participants=23),
        articles=[2],
        stance="amend",
        language="kmc",
        text="Nyaoh dangc dih yangh jaix, bail xic sangp weenh.",
        translation="希望保留鼓楼周边的老榕树，侗族大歌进校园要有经费保障。",
    )
    return OfflineCommentIn(**{**fields, **overrides})

"""Factories for contract objects; each takes overrides."""

from datetime import UTC, date, datetime

from contracts.actor import Actor
from contracts.intake.opinions import ContactErased, OpinionMerged, OpinionReceived, SubmitOpinion
from contracts.routing import CaseAccepted, CaseAssigned, Transition, UnitRef
from contracts.vocabulary import CaseStatus

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


OPINION = dict(
    tracking_code="7K3P-9XTA-2MQD",
    division="330481001",
    channel="web",
    content="文苑路公交站台的顶棚坏了",
    submitted_at=NOW,
)


def submit_opinion(**overrides) -> SubmitOpinion:
    return SubmitOpinion(**{**OPINION, "contact": None, **overrides})


def opinion_received(**overrides) -> OpinionReceived:
    return OpinionReceived(**{**OPINION, "has_contact": False, **overrides})


def contact_erased(**overrides) -> ContactErased:
    return ContactErased(
        **{"tracking_code": OPINION["tracking_code"], "division": "330481001", "erased_at": NOW, **overrides}
    )


def case_assigned(**overrides) -> CaseAssigned:
    fields = dict(
        case_id="7K3P-9XTA-2MQD",
        division="330481001",
        lead_unit=UnitRef(id="hn-transport", name="海宁市交通运输局"),
        co_units=[UnitRef(id="hn-enforcement", name="海宁市综合行政执法局")],
        assigned_at=NOW,
        due_date=date(2026, 12, 14),
        working_days=15,
        calendar_fallback=False,
        transitions=[
            Transition(status=CaseStatus.TRIAGED, at=NOW, actor="routing"),
            Transition(status=CaseStatus.ASSIGNED, at=NOW, actor="routing"),
        ],
    )
    return CaseAssigned(**{**fields, **overrides})


def actor(**overrides) -> Actor:
    fields = dict(key_id="01KEY", role="supervisor", scope="330481", label="测试密钥")
    return Actor(**{**fields, **overrides})


class Publications:
    """Stands in for a service's event publisher: keeps what was published, or fails when told to."""

    def __init__(self):
        self.wires: list[dict] = []
        self.failure: BaseException | None = None

    def __call__(self, wire: dict) -> None:
        if self.failure is not None:
            raise self.failure
        self.wires.append(wire)

    def types(self) -> list[str]:
        return [wire["type"] for wire in self.wires]


def case_accepted(**overrides) -> CaseAccepted:
    fields = dict(
        case_id="7K3P-9XTA-2MQD",
        division="330481001",
        unit=UnitRef(id="hn-transport", name="海宁市交通运输局"),
        accepted_at=NOW,
        transitions=[Transition(status=CaseStatus.ACCEPTED, at=NOW, actor="unit:hn-transport", reason="签收")],
    )
    return CaseAccepted(**{**fields, **overrides})


# Photos, made with Pillow. The GPS position is 海宁 (30.5°N, 120.7°E), written in EXIF, XMP and a comment.
GPS_IFD = {1: "N", 2: (30.0, 30.0, 0.0), 3: "E", 4: (120.0, 41.0, 0.0)}
GPS_XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>30,30.0N</exif:GPSLatitude></x:xmpmeta>'


def photo_bytes(kind: str = "JPEG", size: tuple[int, int] = (64, 48), gps: bool = False, orientation: int = 1) -> bytes:
    """An image in `kind` (JPEG, PNG, WEBP, GIF); with `gps`, carrying a GPS position in its metadata."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (200, 60, 30))
    options: dict = {}
    if gps or orientation != 1:
        exif = Image.Exif()
        exif[0x0110] = "Pixel 8"  # camera model
        exif[0x0112] = orientation
        if gps:
            exif[0x8825] = GPS_IFD
        options["exif"] = exif.tobytes()
    if gps and kind in ("JPEG", "WEBP"):
        options["xmp"] = GPS_XMP
    if gps and kind == "JPEG":
        options["comment"] = b"GPS 30.5N 120.7E"
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def opinion_merged(**overrides) -> OpinionMerged:
    fields = dict(
        group_id="01JDQ8M5V6X4T2R9K7W3B1N0PZ",
        division="330481001",
        primary="7K3P-9XTA-2MQD",
        members=["7K3P-9XTA-2MQE", "7K3P-9XTA-2MQF"],
        merged_at=NOW,
        merged_by="station:01KEY",
    )
    return OpinionMerged(**{**fields, **overrides})


def case_event(kind: type, **overrides):
    """One of the lifecycle's case events (contracts/routing.py `CaseEvent`s) with plausible fields."""
    from contracts.routing import ReplyRecord

    lead = UnitRef(id="hn-transport", name="海宁市交通运输局")
    reply = ReplyRecord(
        unit=lead, text="已修复顶棚", result_class="A", label="已经解决或基本解决", completed=True, resolved=True,
        replied_at=NOW,
    )  # fmt: skip
    extra = {
        "case.returned": {"unit": lead, "reason": "不属于本单位职责"},
        "case.replied": {"reply": reply},
        "case.co_opinion_sent": {"unit": UnitRef(id="hn-enforcement", name="海宁市综合行政执法局")},
        "case.progress_recorded": {"actor": "unit:hn-transport"},
        "case.meeting_recorded": {"stage": "before", "on": date(2026, 11, 24), "met": "deputy"},
        "case.extension_requested": {"working_days": 5},
        "case.extension_decided": {"approved": True, "due_date": date(2026, 12, 21)},
        "case.paused": {"reason": "waiting_for_citizen"},
        "case.resumed": {"due_date": date(2026, 12, 17), "paused_working_days": 3},
        "case.escalated": {"division": "330481", "from_division": "330481001"},
        "case.closed": {"reply": reply},
        "case.reopened": {"due_date": date(2026, 12, 28)},
        "case.consultation_requested": {"round": 1, "units": [lead], "reply_by": date(2026, 11, 27)},
        "case.consultation_answered": {"round": 1, "unit": lead, "agree": False},
        "case.merged": {"primary": "7K3P-9XTA-2MQX", "merged_by": "station:01KEY"},
        "case.triaged": {"matched": False, "suggested_units": [lead]},
    }[kind.TYPE]
    step = Transition(status=CaseStatus.ACCEPTED, at=NOW, actor="unit:hn-transport", reason="记录", action="pause")
    fields = {"case_id": "7K3P-9XTA-2MQD", "division": "330481001", "at": NOW, "transitions": [step], **extra}
    return kind(**{**fields, **overrides})


def evaluation_recorded(**overrides):
    """supervision's `evaluation.recorded` (满意度测评) for the default opinion's case."""
    from contracts.supervision import EvaluationRecorded

    fields = dict(
        case_id="7K3P-9XTA-2MQD", division="330481001", round=1, evaluator_kind="citizen", rating="unsatisfied", at=NOW
    )
    return EvaluationRecorded(**{**fields, **overrides})

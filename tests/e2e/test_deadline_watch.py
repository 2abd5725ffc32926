"""The deadline watch and the public ledger over the real broker, on the demo data: the urgent items
(急事急办, two working days) get their due-soon reminder in the lead unit's inbox from the timer, a
supervisor records a 催办, and the public ledger shows the items without the citizen's name or
phone, with their words only in 硖石街道, which allows them."""

from devtools import watch_demo
from tests.conftest import wait_until
from tests.e2e.test_case_lifecycle import key


def urgent_codes(admin) -> dict[str, str]:
    """The demo's urgent items by their words."""
    ledger = admin.get("/v1/public/ledger", params={"division": "330481", "limit": 500}).json()
    words = {content for _, content, _ in watch_demo.ITEMS}
    return {entry["text"]: entry["tracking_code"] for entry in ledger if entry["text"] in words}


def test_the_timer_reminds_the_unit_and_the_ledger_keeps_the_citizen_out(platform):
    with platform.admin() as admin:
        supervisor = key(admin, role="supervisor", label="海宁市人大常委会督查室（测试）")
        codes = wait_until(lambda: len(found := urgent_codes(admin)) == 2 and found)  # the two in 硖石街道
        inbox = {"recipient": "unit:hn-enforcement", "division": "330481", "limit": 200}

        def reminded():
            notes = admin.get("/v1/notifications", params=inbox).json()
            return {n["case_id"] for n in notes if n["kind"] == "case.due_soon"} >= set(codes.values())

        wait_until(reminded, timeout=150, interval=2)  # the timer runs every minute

    code = next(iter(codes.values()))
    with platform.client(supervisor) as staff:
        recorded = staff.post(f"/v1/supervision/cases/{code}/reminders", json={"method": "letter", "note": "发函催办"})
        assert recorded.status_code == 201 and recorded.json()["by"] == "海宁市人大常委会督查室（测试）"
        refused = staff.post(f"/v1/supervision/cases/{code}/reminders", json={"method": "fax"})
        assert refused.status_code == 422 and refused.json()["field"] == "method"

    with platform.client() as public:
        answer = public.get("/v1/public/ledger", params={"division": "330481", "limit": 500})
    assert answer.status_code == 200
    text = answer.text
    assert watch_demo.CONTACT["name"] not in text and watch_demo.CONTACT["phone"] not in text
    elsewhere = [entry for entry in answer.json() if not entry["division"].startswith("330481001")]
    assert elsewhere and all(entry["text"] is None for entry in elsewhere)


def test_the_units_extension_request_waits_for_a_supervisors_decision(platform):
    """The demo's lead unit asked for more days on its third urgent item: the supervisors find it among
    the pending requests, and once decided it leaves that list."""
    _, reason, working_days = watch_demo.EXTENSION
    with platform.admin() as admin:
        supervisor = key(admin, role="supervisor", label="海宁市人大常委会督查室（延期测试）")
    with platform.client(supervisor) as staff:

        def pending() -> list[dict]:
            listed = staff.get("/v1/cases", params={"division": "330481", "extension": "pending", "limit": 100})
            assert listed.status_code == 200, listed.text
            return [case for case in listed.json() if case["extensions"][-1]["reason"] == reason]

        (case,) = wait_until(pending, timeout=60)
        assert case["extensions"][-1]["working_days"] == working_days and case["lead_unit"]["id"] == "hn-enforcement"
        decided = staff.post(f"/v1/cases/{case['case_id']}/decide-extension", json={"approve": True, "note": "同意"})
        assert decided.status_code == 200, decided.text
        assert pending() == []

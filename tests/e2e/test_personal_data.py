"""Citizens' names and phones: full to the staff who call back, masked to other staff in scope,
absent from public answers and from every log."""

import pytest

from tests.conftest import wait_until

NAME, PHONE = "欧阳明月", "13912345678"


@pytest.fixture(scope="module")
def submitted(platform):
    with platform.client() as citizen:
        code = citizen.post(
            "/v1/public/opinions",
            json={
                "division": "330481001",
                "channel": "qr",
                "content": "小区加装电梯的补贴怎么申请",
                "contact": {"name": NAME, "phone": "139-1234-5678"},
            },
        ).json()["tracking_code"]
        wait_until(lambda: citizen.get(f"/v1/public/opinions/{code}").json().get("status") == "assigned")
    return code


@pytest.fixture(scope="module")
def key_for(platform):
    def create(role: str, scope: str) -> str:
        with platform.admin() as admin:
            answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": scope, "label": role})
        return answer.json()["key"]

    return create


def test_the_station_that_calls_back_sees_the_contact(platform, submitted, key_for):
    with platform.client(key_for("station", "330481001")) as station:
        view = station.get(f"/v1/opinions/{submitted}").json()
    assert view["contact"] == {"name": NAME, "phone": PHONE, "masked": False}
    assert view["status"] == "assigned"


def test_other_staff_see_it_masked(platform, submitted, key_for):
    with platform.client(key_for("supervisor", "330481")) as supervisor:
        view = supervisor.get(f"/v1/opinions/{submitted}").json()
    assert view["contact"] == {"name": "欧***", "phone": "139****5678", "masked": True}


def test_staff_outside_the_division_are_refused(platform, submitted, key_for):
    with platform.client(key_for("station", "330481102")) as other_station:
        answer = other_station.get(f"/v1/opinions/{submitted}")
    assert answer.status_code == 403 and NAME not in answer.text


def test_the_public_view_and_every_log_are_free_of_personal_data(platform, submitted):
    with platform.client() as citizen:
        public = citizen.get(f"/v1/public/opinions/{submitted}").text
    assert NAME not in public and PHONE not in public
    for process in ("gateway", "intake", "routing", "supervision", "legislation", "notify"):
        log = platform.log_of(process)
        assert NAME not in log and PHONE not in log and "1234-5678" not in log, process

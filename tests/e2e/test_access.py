"""API keys: 401 without one, 403 outside the key's role or division scope, problem+json always."""

import pytest

from tests.conftest import wait_until

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def keys(platform):
    with platform.admin() as admin:
        admin.put("/v1/admin/divisions/330482", json={"name": "平湖市"}).raise_for_status()

        def create(role, scope):
            answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": scope, "label": f"{role} {scope}"})
            assert answer.status_code == 201, answer.text
            return answer.json()

        return {
            "haining_supervisor": create("supervisor", "330481"),
            "pinghu_supervisor": create("supervisor", "330482"),
            "xiashi_station": create("station", "330481001"),
            "haining_citizen_app": create("citizen", "330481"),
        }


def test_created_key_is_shown_once_and_works(platform, keys):
    created = keys["haining_supervisor"]
    assert created["key"].startswith("rdk_") and created["role"] == "supervisor" and created["scope"] == "330481"
    with platform.client(created["key"]) as supervisor:
        assert supervisor.get("/v1/cases?division=330481").status_code == 200
        assert supervisor.get("/v1/cases").status_code == 200  # defaults to the key's scope


def test_no_key_is_401_problem(platform):
    with platform.client() as anonymous:
        answer = anonymous.get("/v1/cases?division=330481")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["field"] == "X-API-Key"


def test_unknown_key_is_401(platform):
    with platform.client("rdk_not-a-real-key") as stranger:
        assert stranger.get("/v1/cases?division=330481").status_code == 401


def test_key_out_of_scope_is_403_problem(platform, keys):
    with platform.client(keys["pinghu_supervisor"]["key"]) as pinghu:
        answer = pinghu.get("/v1/cases?division=330481")
    assert answer.status_code == 403
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["field"] == "division"


def test_township_key_sees_its_township_only(platform, keys):
    with platform.client(keys["xiashi_station"]["key"]) as station:
        assert station.get("/v1/cases?division=330481001").status_code == 200
        assert station.get("/v1/cases?division=330481").status_code == 403
        assert station.get("/v1/cases?division=330481102").status_code == 403


def test_scoped_listing_contains_only_cases_in_scope(platform, keys):
    with platform.client() as citizen:
        code = citizen.post(
            "/v1/public/opinions", json={"division": "330482", "channel": "qr", "content": "平湖的公交线路太少"}
        ).json()["tracking_code"]
        haining_code = citizen.post(
            "/v1/public/opinions", json={"division": "330481002", "channel": "qr", "content": "海洲街道的公交线路太少"}
        ).json()["tracking_code"]
    with platform.admin() as admin:
        for division, wanted in (("330482", code), ("330481", haining_code)):
            wait_until(
                lambda division=division, wanted=wanted: [
                    c for c in admin.get(f"/v1/cases?division={division}").json() if c["case_id"] == wanted
                ]
            )
    with platform.client(keys["haining_supervisor"]["key"]) as haining:
        cases = haining.get("/v1/cases").json()
    assert cases and all(case["division"].startswith("330481") for case in cases)
    assert code not in {case["case_id"] for case in cases}


def test_role_without_the_right_is_403(platform, keys):
    with platform.client(keys["haining_citizen_app"]["key"]) as app:
        assert app.get("/v1/cases").status_code == 403
        assert (
            app.post("/v1/admin/api-keys", json={"role": "admin", "scope": "330481", "label": "x"}).status_code == 403
        )
    with platform.client(keys["haining_supervisor"]["key"]) as supervisor:
        answer = supervisor.put("/v1/admin/divisions/330483", json={"name": "x"})
    assert answer.status_code == 403 and answer.headers["content-type"] == PROBLEM


def test_stored_key_is_hashed(platform, keys):
    """The gateway's log and answers never echo a key after creation; only its hash is kept."""
    assert keys["haining_supervisor"]["key"] not in platform.log_of("gateway")


def test_a_county_admin_administers_its_county_only(platform):
    with platform.admin() as root:
        county_admin = root.post("/v1/admin/api-keys", json={"role": "admin", "scope": "330481", "label": "海宁运维"})
        assert county_admin.status_code == 201
    with platform.client(county_admin.json()["key"]) as admin:
        own = admin.post("/v1/admin/api-keys", json={"role": "station", "scope": "330481102", "label": "长安联络站"})
        other = admin.post("/v1/admin/api-keys", json={"role": "supervisor", "scope": "330482", "label": "平湖"})
        township = admin.put("/v1/admin/divisions/330481105", json={"name": "斜桥镇"})
        foreign = admin.put("/v1/admin/divisions/330483", json={"name": "桐乡市"})
    assert own.status_code == 201 and township.status_code == 200
    assert other.status_code == 403 and other.json()["field"] == "scope"
    assert foreign.status_code == 403


def test_a_revoked_key_is_refused_from_then_on(platform):
    with platform.admin() as root:
        created = root.post("/v1/admin/api-keys", json={"role": "supervisor", "scope": "330481", "label": "泄露的密钥"})
        key = created.json()
        with platform.client(key["key"]) as holder:
            assert holder.get("/v1/cases").status_code == 200
            assert root.delete(f"/v1/admin/api-keys/{key['id']}").status_code == 204
            assert holder.get("/v1/cases").status_code == 401
        assert root.delete("/v1/admin/api-keys/no-such-key").status_code == 404


def test_a_county_admin_cannot_revoke_keys_of_other_counties(platform):
    with platform.admin() as root:
        pinghu = root.post("/v1/admin/api-keys", json={"role": "station", "scope": "330482", "label": "平湖"}).json()
        haining_admin = root.post(
            "/v1/admin/api-keys", json={"role": "admin", "scope": "330481", "label": "海宁"}
        ).json()
    with platform.client(haining_admin["key"]) as admin:
        assert admin.delete(f"/v1/admin/api-keys/{pinghu['id']}").status_code == 404
    with platform.client(pinghu["key"]) as station:
        assert station.get("/v1/cases").status_code == 200

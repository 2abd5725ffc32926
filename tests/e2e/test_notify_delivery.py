"""Delivery in the running platform: a unit's own signed DingTalk robot (a local receiver here), its inbox,
and an SMS that cannot go (no SMS provider is configured) dead, then replayed by an admin."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import wait_until
from tests.e2e.test_closed_path import submit

SECRET = "SECe2e-robot-secret"


class Robot(BaseHTTPRequestHandler):
    """A DingTalk group robot: takes a message whose signed URL checks out, answers errcode 0."""

    messages: list[dict] = []

    def do_POST(self):
        query = parse_qs(urlparse(self.path).query)
        timestamp, sign = query["timestamp"][0], query["sign"][0]
        digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        signed = hmac.compare_digest(base64.b64encode(digest).decode(), sign)
        Robot.messages.append({"signed": signed, "body": body})
        answer = json.dumps({"errcode": 0 if signed else 310000, "errmsg": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/robot/send?access_token=e2e"
    server.shutdown()


def handler_key(platform, unit: str) -> str:
    with platform.admin() as admin:
        body = {"role": "handler", "scope": "330481", "label": "e2e 通知", "unit": unit}
        return admin.post("/v1/admin/api-keys", json=body).json()["key"]


def test_a_unit_hears_on_its_own_signed_robot_and_reads_its_inbox(platform, robot_url):
    key = handler_key(platform, "hn-ecology")
    with platform.client(key) as unit:
        chosen = {"case.assigned": ["in_app", "dingtalk"]}
        robot = {"dingtalk": {"address": robot_url, "secret": SECRET}}
        answer = unit.put("/v1/notify/preferences", json={"channels": chosen, "addresses": robot})
        assert answer.status_code == 200 and answer.json()["addresses"]["dingtalk"]["signed"] is True
        with platform.client() as citizen:
            code = submit(citizen, content="海洲街道的河道有污水直排，气味很大").json()["tracking_code"]

        notice = wait_until(lambda: [n for n in unit.get("/v1/notifications/inbox").json() if n["case_id"] == code])[0]
        assert notice["recipient"] == "unit:hn-ecology" and notice["read_at"] is None
        unread = unit.get("/v1/notifications/unread-count").json()["unread"]
        assert unit.post(f"/v1/notifications/{notice['id']}/read").json()["read_at"] is not None
        assert unit.get("/v1/notifications/unread-count").json()["unread"] == unread - 1

    event_id = notice["id"].split(":")[0]
    with platform.admin() as admin:

        def sent():
            found = admin.get("/v1/deliveries", params={"event_id": event_id, "recipient": "unit:hn-ecology"}).json()
            return [d for d in found if d["status"] == "sent"]

        (delivery,) = wait_until(sent)
    assert (delivery["channel"], delivery["status"], delivery["attempts"]) == ("dingtalk", "sent", 1)
    # the group reads the default group wording: the case's unit and deadline, never its id (the tracking code)
    assert Robot.messages and all(m["signed"] for m in Robot.messages)
    assert not [m for m in Robot.messages if code in json.dumps(m["body"], ensure_ascii=False)]


def test_an_sms_that_cannot_go_is_dead_and_an_admin_replays_it(platform):
    with platform.client() as citizen:
        code = submit(citizen).json()["tracking_code"]
    recipient = f"citizen:{code}"
    with platform.admin() as admin:

        def dead_receipt():
            found = admin.get("/v1/deliveries", params={"recipient": recipient, "division": "330481"}).json()
            return [d for d in found if d["event_type"] == "opinion.received" and d["status"] == "dead"]

        (dead,) = wait_until(dead_receipt)
        assert dead["channel"] == "sms" and "未配置" in dead["last_error"]
        replayed = admin.post(f"/v1/admin/deliveries/{dead['id']}/replay")
        assert replayed.status_code == 200 and replayed.json()["attempts"] == 0
        again = wait_until(lambda: [d for d in dead_receipt() if d["attempts"] == 1])
        assert again[0]["id"] == dead["id"]

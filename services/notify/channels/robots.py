"""DingTalk (钉钉) and WeCom (企业微信) group robots, in their documented message formats.

A robot serves a group, e.g. 民情快解钉 where deputies, government and departments meet. A message's
address is either the robot's URL a principal gave in its preferences (with its signing secret in the
message), or a division code: then the most specific robot the settings configure for that division (its
own, else its city's, else its province's) posts it. What robots post is read by a whole group, so their
templates carry no personal data (templates/defaults.py).
"""

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

from services.notify.channels import posting
from services.notify.channels.base import DINGTALK, WECOM, DeliveryFailed, OutgoingMessage

# errcodes meaning "too many messages now" (DingTalk: 20 a minute per robot; WeCom: 20 a minute)
DINGTALK_BUSY = {130101, -1}
WECOM_BUSY = {45009, -1}


def robot_for(robots: dict[str, dict[str, str]], message: OutgoingMessage) -> tuple[str, str | None]:
    """The robot's URL and signing secret: the message's own URL, else the most specific robot configured
    for the division it names (the longest code the division starts with)."""
    if message.address.startswith(("https://", "http://")):
        return message.address, message.secret
    codes = [code for code in robots if message.address.startswith(code)]
    if not codes:
        raise DeliveryFailed(f"行政区划 {message.address} 未配置群机器人（no robot for this division）", False)
    robot = robots[max(codes, key=len)]
    return robot["url"], robot.get("secret")


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """钉钉「加签」: timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")))."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={sign}"


def check_errcode(answer, busy: set[int]) -> None:
    """Robots answer 200 with {"errcode": 0, "errmsg": "ok"} or the reason they refused."""
    try:
        errcode = answer.json().get("errcode", 0)
    except ValueError:
        raise DeliveryFailed("群机器人的响应无法解析（unreadable answer）", retryable=True) from None
    if errcode != 0:
        raise DeliveryFailed(f"群机器人拒绝（errcode {errcode}）", retryable=errcode in busy)


class DingTalkChannel:
    name = DINGTALK

    def __init__(self, robots: dict[str, dict[str, str]], timeout: float = 10.0, allow_internal=None, clock=time.time):
        self.robots, self.allow_internal, self.clock = robots, allow_internal, clock
        self.http = posting.client(timeout)

    @staticmethod
    def body(message: OutgoingMessage) -> dict:
        if message.subject:
            text = f"#### {message.subject}\n\n{message.text}"
            return {"msgtype": "markdown", "markdown": {"title": message.subject, "text": text}}
        return {"msgtype": "text", "text": {"content": message.text}}

    def send(self, message: OutgoingMessage) -> None:
        url, secret = robot_for(self.robots, message)
        if secret:
            url = dingtalk_signed_url(url, secret, int(self.clock() * 1000))
        check_errcode(posting.post(self.http, url, self.allow_internal, json=self.body(message)), DINGTALK_BUSY)


class WeComChannel:
    name = WECOM

    def __init__(self, robots: dict[str, dict[str, str]], timeout: float = 10.0, allow_internal=None):
        self.robots, self.allow_internal = robots, allow_internal
        self.http = posting.client(timeout)

    @staticmethod
    def body(message: OutgoingMessage) -> dict:
        if message.subject:
            return {"msgtype": "markdown", "markdown": {"content": f"**{message.subject}**\n{message.text}"}}
        return {"msgtype": "text", "text": {"content": message.text}}

    def send(self, message: OutgoingMessage) -> None:
        url, _ = robot_for(self.robots, message)
        check_errcode(posting.post(self.http, url, self.allow_internal, json=self.body(message)), WECOM_BUSY)

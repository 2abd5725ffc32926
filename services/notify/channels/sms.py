"""SMS through 腾讯云短信 (Tencent Cloud SMS), API version 2021-01-11, action SendSms, with its official SDK.

The SDK signs each request with TC3-HMAC-SHA256. Only templates approved beforehand at the provider can be
sent: the message carries the template id and the template's parameters in their order ({1}, {2}, …).
"""

import logging
import re

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from services.notify.channels.base import SMS, DeliveryFailed, OutgoingMessage

# the SDK logs every request and answer whole at DEBUG: the phone numbers and the template's parameters
# (a tracking code, a one-time code) must never reach the logs, whatever level the service runs at
SDK_LOGGER = "tencentcloud_sdk_common"
MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
# the provider's error codes (and SendStatus codes) after which a later try may succeed
RETRYABLE_PREFIXES = ("InternalError", "RequestLimitExceeded", "ClientNetworkError", "ServerNetworkError")
RETRYABLE_CODES = {"LimitExceeded.PhoneNumberThirtySecondLimit", "FailedOperation.TemplateIncorrectOrUnapproved.Busy"}


def e164(phone: str) -> str:
    """A mainland mobile number as +86…; an E.164 number as it is."""
    phone = phone.replace(" ", "").replace("-", "")
    if MAINLAND_MOBILE.match(phone):
        return "+86" + phone
    if E164.match(phone):
        return phone
    raise DeliveryFailed("手机号码格式不正确（invalid phone number）", retryable=False)


def retryable(code: str) -> bool:
    return code.startswith(RETRYABLE_PREFIXES) or code in RETRYABLE_CODES


class SmsChannel:
    name = SMS

    def __init__(
        self,
        secret_id: str,
        secret_key: str,
        sdk_app_id: str,
        sign_name: str,
        region: str = "ap-guangzhou",
        endpoint: str = "sms.tencentcloudapi.com",
        scheme: str = "https",
        timeout: float = 10.0,
    ):
        logging.getLogger(SDK_LOGGER).setLevel(logging.WARNING)
        http = HttpProfile(protocol=scheme, endpoint=endpoint, reqMethod="POST", reqTimeout=max(1, round(timeout)))
        self.client = sms_client.SmsClient(
            credential.Credential(secret_id, secret_key), region, ClientProfile(httpProfile=http)
        )
        self.sdk_app_id, self.sign_name = sdk_app_id, sign_name

    def request(self, message: OutgoingMessage) -> models.SendSmsRequest:
        if not message.template_code:
            raise DeliveryFailed("短信须使用已审核通过的模板（no approved template for this event）", retryable=False)
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [e164(message.address)]
        request.SmsSdkAppId = self.sdk_app_id
        request.SignName = self.sign_name
        request.TemplateId = message.template_code
        request.TemplateParamSet = list(message.variables.values())
        # the provider returns it in delivery receipts: which delivery a receipt is about
        request.SessionContext = message.delivery_id
        return request

    def send(self, message: OutgoingMessage) -> None:
        request = self.request(message)
        try:
            answer = self.client.SendSms(request)
        except TencentCloudSDKException as error:
            code = error.get_code() or ""
            raise DeliveryFailed(f"短信平台拒绝（provider error {code}）", retryable=retryable(code)) from None
        statuses = answer.SendStatusSet or []
        if not statuses:
            raise DeliveryFailed("短信平台未返回发送状态（no send status）", retryable=True)
        code = statuses[0].Code
        if code != "Ok":
            raise DeliveryFailed(f"短信未发送（provider status {code}）", retryable=retryable(code))

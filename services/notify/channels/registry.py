"""Builds the adapters the settings configure; a channel without its settings is simply not offered."""

from services.notify.channels.base import Channel
from services.notify.channels.mail import EmailChannel
from services.notify.channels.robots import DingTalkChannel, WeComChannel
from services.notify.channels.sms import SmsChannel
from services.notify.channels.webhook import WebhookChannel


def build_channels(settings) -> dict[str, Channel]:
    timeout = settings.notify_http_timeout_seconds
    # robots are reached at the URLs principals give, or at the division robots the settings configure
    built: list[Channel] = [
        WebhookChannel(timeout),
        DingTalkChannel(settings.dingtalk_robots, timeout),
        WeComChannel(settings.wecom_robots, timeout),
    ]
    if settings.smtp_host:
        built.append(
            EmailChannel(
                settings.smtp_host,
                settings.smtp_port,
                settings.smtp_username,
                settings.smtp_password,
                settings.smtp_sender,
                settings.smtp_ca_file,
                timeout,
            )
        )
    if settings.sms_secret_id and settings.sms_secret_key and settings.sms_sdk_app_id and settings.sms_sign_name:
        built.append(
            SmsChannel(
                settings.sms_secret_id,
                settings.sms_secret_key,
                settings.sms_sdk_app_id,
                settings.sms_sign_name,
                settings.sms_region,
                settings.sms_endpoint,
                timeout=timeout,
            )
        )
    return {channel.name: channel for channel in built}

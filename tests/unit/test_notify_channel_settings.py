"""Which channels the settings offer: robots and webhooks always (addresses come with the message or the
division's robots), e-mail and SMS only with their settings."""

from infra.settings import Settings
from services.notify.channels.base import channels_from_settings


def test_a_channel_without_its_settings_is_not_offered():
    assert set(channels_from_settings(Settings())) == {"webhook", "dingtalk", "wecom"}


def test_email_and_sms_are_offered_once_configured():
    settings = Settings(
        smtp_host="smtp.example.gov.cn",
        sms_secret_id="AKIDexample",
        sms_secret_key="key",
        sms_sdk_app_id="1400000000",
        sms_sign_name="人大民情",
    )
    channels = channels_from_settings(settings)

    assert set(channels) == {"webhook", "dingtalk", "wecom", "email", "sms"}
    assert all(channel.name == name for name, channel in channels.items())
    assert set(channels_from_settings(settings.model_copy(update={"sms_sign_name": None}))) == {
        "webhook",
        "dingtalk",
        "wecom",
        "email",
    }

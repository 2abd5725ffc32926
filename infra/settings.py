"""One settings object per process, read from the environment only (12-factor)."""

from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_PII_KEY = "dev:ZGV2LW9ubHktcGlpLWtleS0zMi1ieXRlcy0hISEhISE="
DEV_API_KEY_PEPPER = "dev-only-api-key-pepper"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    environment: str = "development"
    amqp_uri: str = "amqp://guest:guest@127.0.0.1:5672/"
    mongo_url: str | None = None
    # the embedded store's files when MONGO_URL is unset: one SQLite file per database
    data_dir: Path = PROJECT_ROOT / ".data"
    # "key_id:base64(32 bytes)" pairs, comma separated; the first one encrypts new records.
    pii_keys: str = DEV_PII_KEY
    api_key_pepper: str = DEV_API_KEY_PEPPER
    admin_api_key: str | None = None
    metrics_port: int | None = None
    rpc_timeout_seconds: float = 10.0
    # per client address on the anonymous submission endpoint: "N/second|minute|hour", or "0" for none
    public_rate_limit: str = "60/minute"
    # where citizens reach the public pages: the address a deputy's or station's QR code encodes
    public_base_url: str = "http://127.0.0.1:8000"
    outbox_sweep_seconds: float = 5.0
    overdue_gauge_seconds: float = 60.0
    # how often legislation opens and closes drafts' consultation windows that are due (draft.opened/closed)
    draft_window_seconds: float = 30.0
    # supervision's deadline watch: how often it looks for notices due, and how many working days
    # before the due date the units are reminded (到期提醒)
    watch_seconds: float = 60.0
    watch_reminder_working_days: int = 3
    # the npm packages whose browser assets the gateway serves itself (API docs): `npm ci` puts them here
    web_assets_dir: Path = PROJECT_ROOT / "node_modules"
    # where the gateway reaches intake's HTTP entrypoint for photo bytes (intake's WEB_SERVER_ADDRESS)
    intake_http_url: str = "http://127.0.0.1:8010"
    # how often intake deletes photos uploaded more than a day ago that no item references
    photo_sweep_seconds: float = 3600.0
    # notify's delivery worker: how often it looks for due deliveries, how many send at once, how long a
    # send may take before it counts as failed, attempts before a delivery is dead, backoff (seconds),
    # and sends per minute on one channel and to one recipient on one channel
    notify_delivery_seconds: float = 1.0
    notify_senders: int = 16
    notify_send_lease_seconds: float = 15.0
    notify_max_attempts: int = 5
    notify_backoff_base_seconds: float = 30.0
    notify_backoff_cap_seconds: float = 3600.0
    notify_channel_rate_per_minute: int = 600
    notify_recipient_rate_per_minute: int = 20
    # 督办 close the loop (issue 11 items 2-4): re-handlings allowed after unsatisfied evaluations before
    # a further one goes on the key list; the evaluation window and its reminder (calendar days); the
    # one-time evaluation code's life and tries; follow-up reviews of a sample of completed replies
    rehandle_limit: int = 2
    evaluation_window_days: int = 15
    evaluation_reminder_days: int = 3
    evaluation_code_minutes: int = 10
    evaluation_code_attempts: int = 5
    # wrong proofs (code or last four digits) from one client address per hour, over all items
    evaluation_address_attempts: int = 20
    review_sample_percent: int = 10
    review_after_days: int = 90
    close_loop_timer_seconds: float = 60.0
    # 督办 statistics (issue 11 item 6): how often open cases past their due date are moved to "overdue"
    # in the counters (closing events move them back at once)
    statistics_overdue_seconds: float = 300.0
    # notify's channels (services/notify/channels): a channel whose settings are absent is not offered.
    # E-mail: SMTP with STARTTLS and authentication; SMTP_CA_FILE trusts a private CA (tests, intranet relays)
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_sender: str = "人大民情 <noreply@minqing.example.gov.cn>"
    smtp_ca_file: Path | None = None
    # SMS: 腾讯云短信 SendSms (API 2021-01-11); SMS_TEMPLATE_IDS maps event types to approved template ids,
    # as JSON: {"case.assigned": "1234567"}
    sms_secret_id: str | None = None
    sms_secret_key: str | None = None
    sms_sdk_app_id: str | None = None
    sms_sign_name: str | None = None
    sms_region: str = "ap-guangzhou"
    sms_endpoint: str = "sms.tencentcloudapi.com"
    sms_template_ids: dict[str, str] = {}
    # group robots by division code (the most specific one configured serves a division), as JSON:
    # {"330481": {"url": "https://oapi.dingtalk.com/robot/send?access_token=…", "secret": "SEC…"}}
    dingtalk_robots: dict[str, dict[str, str]] = {}
    # {"330481": {"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"}}
    wecom_robots: dict[str, dict[str, str]] = {}
    # how long a robot, webhook or SMS provider may take to answer
    notify_http_timeout_seconds: float = 10.0

    @model_validator(mode="after")
    def refuse_default_secrets(self) -> "Settings":
        if self.environment != "development":
            if self.pii_keys == DEV_PII_KEY or self.api_key_pepper == DEV_API_KEY_PEPPER:
                raise ValueError("PII_KEYS and API_KEY_PEPPER must be set outside development")
            if not self.admin_api_key:
                raise ValueError("ADMIN_API_KEY must be set outside development")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()

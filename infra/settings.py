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
    # where the gateway reaches intake's HTTP entrypoint for photo bytes (intake's WEB_SERVER_ADDRESS)
    intake_http_url: str = "http://127.0.0.1:8010"
    # how often intake deletes photos uploaded more than a day ago that no item references
    photo_sweep_seconds: float = 3600.0

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

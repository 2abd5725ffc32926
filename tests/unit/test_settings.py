import pytest
from pydantic import ValidationError

from infra.settings import Settings


def test_development_defaults_are_usable():
    assert Settings(environment="development").environment == "development"


def test_default_secrets_are_refused_outside_development():
    with pytest.raises(ValidationError, match="PII_KEYS"):
        Settings(environment="production", admin_api_key="x")


def test_production_needs_an_admin_key():
    with pytest.raises(ValidationError, match="ADMIN_API_KEY"):
        Settings(environment="production", pii_keys="k:" + "A" * 43 + "=", api_key_pepper="pepper")

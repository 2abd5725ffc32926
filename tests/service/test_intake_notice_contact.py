"""`intake.contact_for_notice`: the citizen's phone for notify's SMS, decrypted only when asked, and
nothing once erased or never given."""

import pytest
from nameko.testing.services import worker_factory

from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications, submit_opinion

CIPHER = PiiCipher(DEV_PII_KEY)


@pytest.fixture
def intake(mongo_db):
    store = IntakeStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(IntakeService, store=store, cipher=CIPHER)


def test_the_contact_is_given_for_a_notice_until_the_citizen_erases_it(intake):
    sealed = CIPHER.seal("陈小明", "13812345678")
    intake.submit_opinion(submit_opinion(contact=sealed).envelope("330481001", "c").wire())
    assert intake.contact_for_notice("7K3P-9XTA-2MQD") == {"phone": "13812345678"}  # the name is not needed
    intake.erase_contact("7K3P-9XTA-2MQD", {"phone_last_four": "5678"})
    assert intake.contact_for_notice("7K3P-9XTA-2MQD") is None


def test_no_contact_given_or_no_such_item_gives_nothing(intake):
    intake.submit_opinion(submit_opinion(tracking_code="7K3P-9XTA-2MQE").envelope("330481001", "c").wire())
    assert intake.contact_for_notice("7K3P-9XTA-2MQE") is None
    assert intake.contact_for_notice("NONE-NONE-NONE") is None

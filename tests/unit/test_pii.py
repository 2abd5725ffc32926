import base64
import os

import pytest
from cryptography.exceptions import InvalidTag

from infra.pii import PiiCipher, mask_name, mask_phone, normalise_phone


def key_spec(*ids: str) -> str:
    return ",".join(f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}" for key_id in ids)


def test_sealed_contact_round_trips_and_hides_the_plaintext():
    cipher = PiiCipher(key_spec("k1"))
    sealed = cipher.seal("陈小明", "13812345678")
    assert "13812345678" not in sealed.model_dump_json() and "陈" not in sealed.model_dump_json()
    assert cipher.open(sealed) == {"name": "陈小明", "phone": "13812345678"}


def test_rotation_old_records_still_open_new_ones_use_the_first_key():
    k1, k2 = key_spec("k1"), key_spec("k2")
    sealed_before = PiiCipher(k1).seal("李四", "13900000000")
    rotated = PiiCipher(f"{k2},{k1}")
    assert rotated.open(sealed_before)["name"] == "李四"
    assert rotated.seal("王五", "13900000001").key_id == "k2"


def test_tampered_ciphertext_is_refused():
    cipher = PiiCipher(key_spec("k1"))
    sealed = cipher.seal("陈小明", "13812345678")
    raw = bytearray(base64.b64decode(sealed.ciphertext))
    raw[0] ^= 1
    with pytest.raises(InvalidTag):
        cipher.open(sealed.model_copy(update={"ciphertext": base64.b64encode(bytes(raw)).decode()}))


def test_phone_hash_is_stable_and_keyed():
    a, b = PiiCipher(key_spec("k1")), PiiCipher(key_spec("k1"))
    assert a.phone_hash("13812345678") == a.phone_hash("13812345678")
    assert a.phone_hash("13812345678") != b.phone_hash("13812345678")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("138 1234 5678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("0573-87654321", "057387654321")],
)
def test_phone_numbers_are_normalised(raw, normalised):
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize("raw", ["12345", "23812345678", "138123456789", "abc"])
def test_malformed_phone_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        normalise_phone(raw)


def test_masks():
    assert mask_name("陈小明") == "陈**"
    assert mask_phone("13812345678") == "138****5678"


def test_malformed_key_spec_is_refused():
    with pytest.raises(ValueError):
        PiiCipher("k1:" + base64.b64encode(b"short").decode())

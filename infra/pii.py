"""Personal data: AES-GCM at rest with a key id per record, a keyed hash for phone lookups, masks.

Keys come from `PII_KEYS` ("id:base64key,..."); the first encrypts, all decrypt, so keys rotate
without rewriting old records at once.
"""

import base64
import hashlib
import hmac
import json
import os
import re

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from contracts.intake.opinions import SealedContact

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_phone(raw: str) -> str:
    """Strip spaces, dashes between mobile digits and a +86/0086 prefix; raise on anything else."""
    phone = re.sub(r"[\s()]", "", raw)
    phone = re.sub(r"^(\+86|0086)-?", "", phone)
    if MAINLAND_MOBILE.match(phone.replace("-", "")):
        return phone.replace("-", "")
    if LANDLINE.match(phone):
        return phone.replace("-", "")
    raise ValueError("手机号或固定电话格式不正确 (phone number is not a valid mainland number)")


class PiiCipher:
    def __init__(self, keys_spec: str):
        self._keys: dict[str, bytes] = {}
        for item in keys_spec.split(","):
            key_id, _, encoded = item.strip().partition(":")
            key = base64.b64decode(encoded)
            if not key_id or len(key) != 32:
                raise ValueError("each PII_KEYS entry must be 'id:base64 of 32 bytes'")
            self._keys[key_id] = key
        self._ciphers = {key_id: AESGCM(key) for key_id, key in self._keys.items()}
        self._active = next(iter(self._keys))
        self._lookup_key = hashlib.sha256(b"phone-lookup:" + self._keys[self._active]).digest()

    @property
    def active_key_id(self) -> str:
        return self._active

    def seal(self, name: str | None, phone: str | None) -> SealedContact:
        nonce = os.urandom(12)
        plaintext = json.dumps({"name": name, "phone": phone}, ensure_ascii=False).encode()
        ciphertext = self._ciphers[self._active].encrypt(nonce, plaintext, self._active.encode())
        return SealedContact(
            key_id=self._active,
            nonce=base64.b64encode(nonce).decode(),
            ciphertext=base64.b64encode(ciphertext).decode(),
            phone_hash=self.phone_hash(phone) if phone else None,
        )

    def open(self, sealed: SealedContact) -> dict[str, str | None]:
        plaintext = self._ciphers[sealed.key_id].decrypt(
            base64.b64decode(sealed.nonce), base64.b64decode(sealed.ciphertext), sealed.key_id.encode()
        )
        return json.loads(plaintext)

    def open_dict(self, sealed: dict) -> dict[str, str | None]:
        return self.open(SealedContact.model_validate(sealed))

    def seal_text(self, text: str) -> dict[str, str]:
        """Any other personal text (e.g. the addresses a principal is reached at), sealed the same way."""
        nonce = os.urandom(12)
        ciphertext = self._ciphers[self._active].encrypt(nonce, text.encode(), self._active.encode())
        return {
            "key_id": self._active,
            "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(ciphertext).decode(),
        }

    def open_text(self, sealed: dict[str, str]) -> str:
        key_id = sealed["key_id"]
        nonce, ciphertext = base64.b64decode(sealed["nonce"]), base64.b64decode(sealed["ciphertext"])
        return self._ciphers[key_id].decrypt(nonce, ciphertext, key_id.encode()).decode()

    def phone_hash(self, phone: str) -> str:
        """HMAC of the normalised number with the active key: finds a citizen's items without decrypting."""
        return hmac.new(self._lookup_key, phone.encode(), hashlib.sha256).hexdigest()


def mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1) if name else name


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"

import pytest
from cryptography.exceptions import InvalidTag

from govgrid.pii.crypto import PiiCipher, new_key
from govgrid.pii.masking import mask_id_number, mask_name, mask_phone


def test_masks():
    assert mask_id_number("150521199001011231") == "150521********1231"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("04758123456") == "047****3456"
    assert mask_phone("110") == "*10"
    assert mask_name("张三丰") == "张**"
    assert mask_id_number(None) is None and mask_phone("") == ""


def test_encryption_round_trip_and_binding():
    cipher = PiiCipher.from_base64(new_key())
    token = cipher.encrypt("150521199001011231", "party.id_number")
    assert b"150521" not in token
    assert cipher.decrypt(token, "party.id_number") == "150521199001011231"
    # The same value encrypts differently each time (random nonce) ...
    assert cipher.encrypt("150521199001011231", "party.id_number") != token
    # ... and does not decrypt under another column's context.
    with pytest.raises(InvalidTag):
        cipher.decrypt(token, "party.phone")


def test_blind_index_is_stable_and_keyed():
    key = new_key()
    a, b = PiiCipher.from_base64(key), PiiCipher.from_base64(key)
    other = PiiCipher.from_base64(new_key())
    assert a.blind_index("x", "c") == b.blind_index("x", "c")
    assert a.blind_index("x", "c") != other.blind_index("x", "c")
    assert a.blind_index("x", "c") != a.blind_index("x", "d")

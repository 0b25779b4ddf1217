"""The app's PII cipher, built once per app from the PII_KEY setting."""

from __future__ import annotations

from flask import current_app

from .crypto import PiiCipher


def cipher() -> PiiCipher:
    found = current_app.extensions.get("govgrid_pii")
    if found is None:
        found = PiiCipher.from_base64(current_app.config["PII_KEY"])
        current_app.extensions["govgrid_pii"] = found
    return found

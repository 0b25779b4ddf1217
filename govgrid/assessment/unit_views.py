"""Assessment pages about one unit and the register: the unit's ladder history with its
decisions and rectification reports, the scheme editor, the register of major events."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assessment_unit_pages", __name__)

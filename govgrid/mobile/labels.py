"""Every word the mobile app shows, from the Flask-Babel catalogs: JavaScript has none, so the
shell carries these for both languages and the app works in either one offline."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..cases.case_page import DEADLINE_LABELS, EVENT_LABELS, SEVERITY_LABELS
from ..cases.messages import (
    ACTION_LABELS,
    OUTCOME_LABELS,
    PARTY_ROLE_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
)

WORDS: dict[str, Any] = {
    "app.name": _l("Grid reporting"),
    "app.back": _l("Back"),
    "app.offline": _l("No connection: reports are kept on this phone and sent later."),
    "app.not_loaded": _l("Could not be loaded. Check the connection and try again."),
    "app.saved_copy": _l("No connection: showing the copy saved at %(time)s."),
    "app.screen_failed": _l("This screen could not be shown."),
    "app.session_expired": _l("Your login has expired; reports stay on the phone until you log in "
                              "again."),
    "tab.label": _l("Main sections"),
    "tab.grid": _l("My grid"),
    "tab.report": _l("Report"),
    "tab.reports": _l("My reports"),
    "tab.notices": _l("Notices"),
    "tab.me": _l("Me"),
    "login.title": _l("Log in"),
    "login.lead": _l("Log in once; the app then works without a connection."),
    "login.username": _l("Username"),
    "login.password": _l("Password"),
    "login.submit": _l("Log in"),
    "login.again": _l("Log in again"),
    "login.offline": _l("No connection. Logging in needs the network once."),
    "grid.title": _l("My grid"),
    "grid.map": _l("Map of my grid cells"),
    "grid.cells_n": _l("%(n)s grid cells"),
    "grid.no_geometry": _l("The grid map is not on this phone yet; it is saved the first time you "
                           "are online."),
    "grid.pending_n": _l("%(n)s reports wait on this phone to be sent."),
    "grid.report_now": _l("Report a dispute or incident"),
    "grid.open_cases": _l("Open cases in my grid"),
    "grid.no_open_cases": _l("No open cases."),
    "grid.you_are_here": _l("You are here"),
    "category.choose": _l("Choose a category"),
    "category.search": _l("Search categories"),
    "category.recent": _l("Used recently"),
    "category.none": _l("No category matches."),
    "category.unavailable": _l("Categories are not on this phone yet; connect once to load them."),
    "report.title": _l("New report"),
    "report.correct_title": _l("Correct the report"),
    "report.detail_title": _l("Report"),
    "report.category": _l("Category"),
    "report.severity": _l("Severity"),
    "report.urgent": _l("Major emergency (reported to the county at once)"),
    "report.place": _l("Place"),
    "report.description": _l("What happened"),
    "report.description_hint": _l("Who, what, how it started; type or use the microphone"),
    "report.dictate": _l("Dictate"),
    "report.dictate_failed": _l("Dictation is not available; please type."),
    "report.photos": _l("Photos"),
    "report.people": _l("People involved"),
    "report.amount": _l("Amount involved (yuan)"),
    "report.parties_more": _l("Parties and more details (optional)"),
    "report.parties": _l("Parties"),
    "report.title_field": _l("Title"),
    "report.title_hint": _l("Left empty: made from the category and description"),
    "report.occurred_at": _l("When it happened"),
    "report.source": _l("Source"),
    "report.address": _l("Address"),
    "report.reported_at": _l("Reported at"),
    "report.due_at": _l("Due"),
    "report.saved_at": _l("Saved on the phone at"),
    "report.timeline": _l("Timeline"),
    "report.submit": _l("Report"),
    "report.draft_restored": _l("Your unfinished report was restored."),
    "report.start_over": _l("Start over"),
    "report.resend": _l("Send again"),
    "report.need_category": _l("Choose a category."),
    "report.need_place": _l("Mark the place on the map."),
    "report.bad_amount": _l("The amount must be a number of yuan."),
    "report.saved_sending": _l("Saved; sending now."),
    "report.saved_offline": _l("Saved on the phone; it will be sent when there is a connection."),
    "report.rejected_because": _l("Not accepted by the platform:"),
    "report.correct": _l("Correct and send again"),
    "report.retry": _l("Try again"),
    "report.discard": _l("Discard this report"),
    "report.discard_confirm": _l("Discard this report from the phone? It has not reached the "
                                 "platform."),
    "report.discarded": _l("Report discarded."),
    "party.add": _l("Add a party"),
    "party.name": _l("Full name"),
    "party.phone": _l("Phone"),
    "party.role": _l("Role"),
    "party.remove": _l("Remove this party"),
    "photo.take": _l("Take or choose photos"),
    "photo.remove": _l("Remove this photo"),
    "photo.shrinking": _l("Shrinking…"),
    "photo.unreadable": _l("This file is not a photo the phone can read."),
    "photo.count": _l("%(n)s photos"),
    "photo.not_loaded": _l("Photos could not be loaded."),
    "place.locating": _l("Finding your position…"),
    "place.accuracy": _l("GPS accurate to ±%(m)s m"),
    "place.manual": _l("Placed by hand"),
    "place.cell": _l("Grid cell: %(name)s"),
    "place.outside_cells": _l("Outside your grid cells"),
    "place.none": _l("No position yet"),
    "place.denied": _l("Location permission was refused."),
    "place.unavailable": _l("No GPS fix."),
    "place.tap_map": _l("Tap the map to mark the place."),
    "place.relocate": _l("Locate me again"),
    "place.pin": _l("Drag to the exact place"),
    "onspot.label": _l("Resolved on the spot"),
    "onspot.hint": _l("Only for general, non-urgent matters settled here and now."),
    "onspot.note_hint": _l("How it was settled"),
    "local.pending": _l("Waiting to send"),
    "local.sending": _l("Sending"),
    "local.rejected": _l("Not accepted"),
    "sync.now": _l("Send now"),
    "sync.sent": _l("%(n)s reports sent."),
    "sync.rejected": _l("%(n)s reports were not accepted; open them to see why."),
    "sync.will_retry": _l("No connection; trying again at %(time)s."),
    "sync.log_in_again": _l("Log in again to send the waiting reports."),
    "reports.title": _l("My reports"),
    "reports.on_phone": _l("On this phone"),
    "reports.none_waiting": _l("Nothing waiting to be sent."),
    "reports.sent": _l("Sent to the platform"),
    "reports.none_sent": _l("No reports yet."),
    "notices.title": _l("Notices"),
    "notices.all_read": _l("Mark all read"),
    "notices.none": _l("No notices."),
    "me.title": _l("Me"),
    "me.name": _l("Full name"),
    "me.username": _l("Username"),
    "me.unit": _l("Unit"),
    "me.cells": _l("Grid cells"),
    "me.on_phone": _l("On this phone"),
    "me.pending_n": _l("%(n)s reports waiting to be sent"),
    "me.version": _l("App version"),
    "me.language": _l("Language"),
    "me.desktop": _l("Open the full site"),
    "me.log_out": _l("Log out"),
    "me.pending_block_logout": _l("%(n)s reports are still on this phone; send them before "
                                  "logging out."),
}

GROUPS: dict[str, dict[Any, Any]] = {
    "state": STATE_LABELS, "action": {**ACTION_LABELS, **EVENT_LABELS},
    "severity": SEVERITY_LABELS, "deadline": DEADLINE_LABELS, "party_role": PARTY_ROLE_LABELS,
    "source": SOURCE_LABELS, "outcome": OUTCOME_LABELS,
}

# The app's language codes (BCP 47, as <html lang> and Accept-Language use them) -> Babel's.
LOCALES = {"zh-CN": "zh_CN", "en": "en"}


def words() -> dict[str, str]:
    flat = {key: str(text) for key, text in WORDS.items()}
    for group, labels in GROUPS.items():
        flat.update({f"{group}.{getattr(key, 'value', key)}": str(text)
                     for key, text in labels.items()})
    return flat


def all_languages(app: Flask) -> dict[str, dict[str, str]]:
    """{"zh-CN": {...}, "en": {...}} for the languages the deployment offers."""
    result = {}
    for code, babel_code in LOCALES.items():
        if babel_code in app.config["LANGUAGES"]:
            with force_locale(babel_code):
                result[code] = words()
    return result

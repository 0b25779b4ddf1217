"""What an outbox message does when a worker runs it: `handle(message_id)` by topic.

Every handler is idempotent: a message may be handled more than once (an operator's
redelivery, a job retried after a worker died mid-way, two workers racing) and the outcome is
that of handling it once. Notifications are unique per (recipient, message); a liaison gets
a linkage assignment only if they have none for the case yet. Jobs take the message id and
re-read everything, as SYSTEM: the message may be handled long after it was written.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..auth.models import User
from ..auth.principal import SYSTEM, acting_as
from ..auth.roles import Department, Role
from ..cases.models import Case, CaseAssignment, Category
from ..extensions import db
from ..geo.models import Unit
from ..jobs.context import with_app_context
from ..notifications import channels
from ..notifications.services import Delivery, deliver
from ..sla.models import SlaNotice
from ..sla.notice_texts import body, title
from ..sla.recipients import centre_staff
from ..unit_of_work import committing
from .models import OutboxMessage

log = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], int]

LINKAGE = "linkage"
NEW_CASE = "new_case"
# Advisory-lock namespace ("lnk"): linkage assignments of one case are created one at a time.
ASSIGNMENT_LOCK = 0x6C6E6B


@with_app_context
def handle(message_id: int) -> int:
    """Handle one outbox message; returns how many notifications were new."""
    with acting_as(SYSTEM):
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            log.warning("outbox message %s does not exist; nothing to do", message_id)
            return 0
        handler = HANDLERS.get(message.topic)
        if handler is None:
            log.warning("outbox message %s has unknown topic %r; ignored", message_id,
                        message.topic)
            return 0
        # Stored text is written in the deployment's language, whoever caused it. The
        # delivery channels (SMS, WeCom...) send only after the commit, and only the rows
        # new in it: a redelivered message sends nothing twice, and a channel that fails
        # cannot undo the inbox rows.
        with (channels.send_after_commit(), committing(),
              force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])):
            created = handler(message)
    log.info("outbox message %s (%s): %d new notification(s)", message_id, message.topic,
             created)
    return created


def notify_linked_departments(message: OutboxMessage) -> int:
    """联动: the liaisons of the category's departments at the case's township or county
    are notified, and may then read the case (liaisons read only assigned cases)."""
    case = _case_of(message)
    departments = _departments(message.payload.get("departments", []))
    if case is None or not departments:
        return 0
    units = [u for u in (case.township_id, case.county_id) if u is not None]
    liaisons = list(db.session.execute(
        select(User.id).where(User.is_active.is_(True), User.role == Role.department_liaison,
                              User.department.in_(departments), User.unit_id.in_(units))
    ).scalars())
    if not liaisons:
        log.info("no liaison of %s for case %s", departments, case.id)
        return 0
    _assign(case, liaisons)
    return deliver(_delivery(message, case, LINKAGE, _("Linkage notice: %(category)s",
                                                       category=_category_name(case))),
                   liaisons)


def notify_owning_centre(message: OutboxMessage) -> int:
    """A new report: the staff of the centre that holds the case learn of it (not the
    reporter, who knows)."""
    case = _case_of(message)
    if case is None:
        return 0
    # Centre staff only: mediators and liaisons read just what is assigned to them.
    staff = [u for u in centre_staff(case.owner_unit_id) if u != case.reporter_id]
    return deliver(_delivery(message, case, NEW_CASE, _("New case reported: %(category)s",
                                                        category=_category_name(case))),
                   staff)


def notify_sla_notice(message: OutboxMessage) -> int:
    """A sweep's notice (将到期, 催办, 督办, escalation, urgent clocks…) to the recipients the
    sweep chose when it claimed the occasion."""
    notice = db.session.get(SlaNotice, int(message.payload.get("notice_id") or 0))
    if notice is None or not notice.recipients:
        return 0
    case = db.session.get(Case, notice.case_id) if notice.case_id else None
    place = _summary(case) if case is not None else ""
    delivery = Delivery(source_message_id=message.id, county_id=notice.county_id,
                        case_id=notice.case_id, kind=notice.kind,
                        title=title(notice.kind, notice.payload, case.title if case else ""),
                        body=body(notice.kind, notice.payload, place))
    return deliver(delivery, notice.recipients)


HANDLERS: dict[str, Handler] = {
    "linkage.notify": notify_linked_departments,
    "case.reported": notify_owning_centre,
    "sla.notice": notify_sla_notice,
}


def _case_of(message: OutboxMessage) -> Case | None:
    try:
        case_id = uuid.UUID(str(message.payload.get("case_id")))
    except ValueError:
        log.warning("outbox message %s has no valid case_id; ignored", message.id)
        return None
    case = db.session.get(Case, case_id)
    if case is None:
        log.warning("outbox message %s: case %s is gone; ignored", message.id, case_id)
    return case


def _departments(values: Sequence[str]) -> list[Department]:
    known = {d.value: d for d in Department}
    unknown = [v for v in values if v not in known]
    if unknown:
        log.warning("unknown departments %s in a linkage message; ignored", unknown)
    return [known[v] for v in values if v in known]


def _assign(case: Case, user_ids: list[int]) -> None:
    """A linkage assignment for each liaison without one. An earlier linkage assignment that
    was ended (inactive) counts: a redelivered message must not give back access that a
    dispatcher took away."""
    # case_assignments has no unique key on (case, user): serialise per case instead, so two
    # handlers racing on one case cannot both insert.
    db.session.execute(select(func.pg_advisory_xact_lock(ASSIGNMENT_LOCK,
                                                         func.hashtext(str(case.id)))))
    assigned = set(db.session.execute(
        select(CaseAssignment.user_id).where(
            CaseAssignment.case_id == case.id, CaseAssignment.user_id.in_(user_ids),
            or_(CaseAssignment.active.is_(True), CaseAssignment.kind == LINKAGE))
    ).scalars())
    for user_id in user_ids:
        if user_id not in assigned:
            db.session.add(CaseAssignment(county_id=case.county_id, case_id=case.id,
                                          user_id=user_id, kind=LINKAGE, active=True))


def _delivery(message: OutboxMessage, case: Case, kind: str, title: str) -> Delivery:
    return Delivery(source_message_id=message.id, county_id=case.county_id, case_id=case.id,
                    kind=kind, title=title, body=_summary(case))


def _category_name(case: Case) -> str:
    category: Category = case.category
    return category.name if str(get_locale()).startswith("zh") else category.name_en


def _summary(case: Case) -> str:
    """The case's title and where it happened: its address, else its township and village."""
    place = case.address
    if not place:
        names = db.session.execute(
            select(Unit.name)
            .where(Unit.id.in_([u for u in (case.township_id, case.village_id) if u]))
            .order_by(Unit.path)
        ).scalars()
        place = " ".join(names)
    return _("%(title)s (%(place)s)", title=case.title, place=place) if place else case.title

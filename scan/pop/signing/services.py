"""Agreeing and signing a POP, and starting a new version of a signed one. Flush, never commit.

The flow of the latest version: draft/returned --propose--> proposed --agree--> agreed --both sign--> signed,
or proposed --send back (with a comment)--> returned. A signed version is read-only; a change of plan
starts the next version as a draft with a copy of the goals and actions.

Signing re-checks the signer's password. Wrong passwords are counted with the login throttle
(scan.auth.throttle, keyed by the username and the address), so guessing through the signing page and
through the login page share one limit: a hijacked session cannot be used to try passwords freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from scan.access import Role
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth import devices, throttle
from scan.auth.models import User
from scan.auth.passwords import verify_password
from scan.core.rules import RuleError
from scan.db import utcnow
from scan.extensions import db
from scan.pop.loading import latest_version, version_with_content
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from scan.pop.permissions import is_team_leader_of

COMMENT_MAX_LENGTH = 2000


def status_label(status: str) -> str:
    labels = {
        PopStatus.DRAFT: _("Draft"),
        PopStatus.PROPOSED: _("Proposed to the team leader"),
        PopStatus.RETURNED: _("Sent back by the team leader"),
        PopStatus.AGREED: _("Agreed, waiting for signatures"),
        PopStatus.SIGNED: _("Signed"),
    }
    return labels.get(status, status)


# Who may do what (the role part); the status part is in the rules below.


def is_owner(user: User, pop: Pop) -> bool:
    return user.id == pop.user_id


def can_sign_as_party(user: User, pop: Pop) -> bool:
    return is_owner(user, pop) or is_team_leader_of(user, pop)


@dataclass(frozen=True)
class PopActions:
    """What the viewer can do with the shown version; plain booleans for the templates."""

    is_latest: bool
    can_propose: bool
    can_review: bool
    can_sign: bool
    can_start_new_version: bool
    waiting_for_me: bool  # the viewer's signature is still missing


def available_actions(user: User, pop: Pop, version: PopVersion) -> PopActions:
    latest = latest_version(pop)
    is_latest = latest.id == version.id
    owner = is_owner(user, pop)
    leader = is_team_leader_of(user, pop)
    status = version.status
    own_signature_missing = (owner and version.professional_signed_at is None) or (
        leader and version.leader_signed_at is None
    )
    can_sign = is_latest and status == PopStatus.AGREED and own_signature_missing
    return PopActions(
        is_latest=is_latest,
        can_propose=is_latest and owner and status in (PopStatus.DRAFT, PopStatus.RETURNED),
        can_review=is_latest and leader and status == PopStatus.PROPOSED,
        can_sign=can_sign,
        can_start_new_version=is_latest and owner and status == PopStatus.SIGNED,
        waiting_for_me=can_sign,
    )


# The rules.


def _require_latest_in(pop: Pop, allowed: tuple[str, ...], message: str) -> PopVersion:
    version = latest_version(pop)
    if version.status not in allowed:
        raise RuleError(message)
    return version


def missing_content(version: PopVersion) -> list[str]:
    """What stops the version from being proposed, as translated sentences (empty when complete)."""
    if not version.goals:
        return [_("Add at least one goal.")]
    return [
        _("The goal “%(goal)s” has no action yet.", goal=goal.description or goal.item.code)
        for goal in version.goals
        if not goal.actions
    ]


def propose(pop: Pop, actor: User, now: datetime | None = None) -> PopVersion:
    """The professional sends the latest version to the team leader."""
    if not is_owner(actor, pop):
        raise RuleError(_("Only the professional can propose their plan."))
    version = _require_latest_in(
        pop, (PopStatus.DRAFT, PopStatus.RETURNED), _("This version has already been proposed.")
    )
    content = version_with_content(version.id)
    missing = missing_content(content)
    if missing:
        raise RuleError(_("The plan cannot be proposed yet. %(problems)s", problems=" ".join(missing)))
    version.status = PopStatus.PROPOSED
    version.proposed_at = now or utcnow()
    db.session.flush()
    return version


def _checked_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise RuleError(
            _("Use at most %(max)d characters; you used %(n)d.", max=COMMENT_MAX_LENGTH, n=len(comment)),
            field="comment",
        )
    return comment


def agree(pop: Pop, leader: User, comment: str = "", now: datetime | None = None) -> PopVersion:
    """The leader agrees; an optional comment is kept with the version (it replaces the comment of an
    earlier sending back, which no longer applies)."""
    if not is_team_leader_of(leader, pop):
        raise RuleError(_("Only the team leader of this team can agree to the plan."))
    version = _require_latest_in(
        pop, (PopStatus.PROPOSED,), _("This version is not waiting for your review.")
    )
    version.leader_comment = _checked_comment(comment)
    version.status = PopStatus.AGREED
    version.agreed_at = now or utcnow()
    version.agreed_by_id = leader.id
    db.session.flush()
    return version


def send_back(pop: Pop, leader: User, comment: str) -> PopVersion:
    if not is_team_leader_of(leader, pop):
        raise RuleError(_("Only the team leader of this team can send the plan back."))
    version = _require_latest_in(
        pop, (PopStatus.PROPOSED,), _("This version is not waiting for your review.")
    )
    comment = _checked_comment(comment)
    if not comment:
        raise RuleError(
            _("Write what should change, so the professional knows what to do."), field="comment"
        )
    version.status = PopStatus.RETURNED
    version.leader_comment = comment
    db.session.flush()
    return version


def sign(
    pop: Pop, signer: User, password: str, address: str, now: datetime | None = None,
    device_cookie: str | None = None,
) -> PopVersion:
    """Record the signer's signature after checking their password; signed when both have signed.

    A wrong password records nothing but the throttle's count, committed before the check (as at login);
    `device_cookie` is the browser's known-device cookie (scan.auth.devices).
    """
    owner = is_owner(signer, pop)
    if not (owner or is_team_leader_of(signer, pop)):
        raise RuleError(_("Only the professional and their team leader can sign this plan."))
    version = _require_latest_in(pop, (PopStatus.AGREED,), _("This version cannot be signed now."))
    if (owner and version.professional_signed_at) or (not owner and version.leader_signed_at):
        raise RuleError(_("You have already signed this version."))
    attempt = throttle.begin(signer.username, address, devices.known_device(device_cookie, signer))
    if attempt.verdict is not throttle.Verdict.CHECK:
        # The login page's message: the two share one count.
        raise RuleError(throttle.refusal_message(attempt.verdict), field="password")
    if not verify_password(signer.password_hash, password):
        raise RuleError(_("That is not your password. Nothing has been signed."), field="password")
    throttle.succeeded(attempt)
    moment = now or utcnow()
    if owner:
        version.professional_signed_at = moment
    else:
        version.leader_signed_at = moment
        version.leader_signed_by_id = signer.id
    if version.professional_signed_at and version.leader_signed_at:
        version.status = PopStatus.SIGNED
    signed_as = Role.PROFESSIONAL if owner else Role.TEAMLEIDER
    record(audit_actions.POP_SIGN, object_type="pop", object_id=pop.id,
           facts={"version": version.number, "signed_as": signed_as.value}, actor=signer)
    db.session.flush()
    return version


def start_new_version(pop: Pop, actor: User) -> PopVersion:
    """Copy the signed latest version (goals, actions with their progress) into the next one, as a draft."""
    if not is_owner(actor, pop):
        raise RuleError(_("Only the professional can change their plan."))
    current = _require_latest_in(
        pop, (PopStatus.SIGNED,), _("A new version can only be started from a signed plan.")
    )
    source = version_with_content(current.id)
    new = PopVersion(pop=pop, number=current.number + 1, status=PopStatus.DRAFT)
    for goal in source.goals:
        new.goals.append(
            PopGoal(
                position=goal.position,
                item_id=goal.item_id,
                description=goal.description,
                reason_kind=goal.reason_kind,
                reason=goal.reason,
                reason_facts=goal.reason_facts,
                reason_level=goal.reason_level,
                reason_ambition=goal.reason_ambition,
                reason_level_agreed=goal.reason_level_agreed,
                target_level=goal.target_level,
                actions=[
                    PopAction(
                        type=a.type,
                        description=a.description,
                        training_id=a.training_id,
                        colleague_id=a.colleague_id,
                        planned_from=a.planned_from,
                        planned_until=a.planned_until,
                        hours=a.hours,
                        points=a.points,
                        status=a.status,
                        reflection=a.reflection,
                        status_changed_at=a.status_changed_at,
                    )
                    for a in goal.actions
                ],
            )
        )
    db.session.add(new)
    db.session.flush()
    return new

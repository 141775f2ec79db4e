"""POPs for the demo region: one per professional and round, built from their scans and the catalogue.

Closed rounds (a year and half a year ago): most professionals who submitted have a POP, nearly all of them
signed; in the more recent round a few still wait for both signatures (agreed) or for the team leader
(proposed). All of these are counted in the region's publications (never a draft).

Goals broaden: they lie on generic competencies and on a leefgebied's lead item (its first algemeen item,
signaleren), taken from the professional's gaps (ambition above level, largest first), now and then an own
goal. Each season the region gives two leefgebieden priority (its scholingsplan themes, THEMES): a gap there
weighs more, and someone without a goal in a theme often adds one of their own on its lead item. So the
goals gather in a few cells per municipality, as in a region that steers its training. Goals scattered over
every item (a specialist goal or two per municipality) make the regional publication hide many more figures
than themselves: measured on this demo, 0 to 30 of the 65 municipality cells of the goal heat map then showed
a number, against 35 to 40 now.

Actions use the catalogue entries that address the goal's item, or a colleague (meelopen), intervisie or
self-study where the catalogue has nothing. Actions of signed plans whose period has passed are mostly done
(with a reflection), a few are overdue (still planned) or dropped.

Open round (opened two weeks ago): of the professionals who submitted, some are drafting, some have
proposed their POP, and per team one was sent back with a comment.

Deterministic: one random generator with a fixed seed, rows drawn in a fixed order. Flush, never commit.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.catalogue.models import Training, TrainingItem
from scan.extensions import db
from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_GENERIC, Item, Section
from scan.organisation.models import Municipality, Team, team_leaders
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion

SEED = "lindewaard-pop"
POP_SHARE = 0.85  # of a closed round's submitted professionals
# In the most recent closed round, of the POPs: agreed but not yet signed, and proposed but not yet reviewed.
AGREED_SHARE = 0.06
PROPOSED_SHARE = 0.04

REFLECTIONS = (
    "Ik stel nu eerder open vragen en vat vaker samen; dat levert rustiger gesprekken op.",
    "Nuttig om de sociale kaart beter te kennen; ik weet nu wie ik kan bellen.",
    "Veel herkenning. Ik bespreek twijfels sneller in het team.",
    "Praktisch en direct toepasbaar; het stappenplan hangt boven mijn bureau.",
    "Meelopen gaf inzicht in hoe de ander werkt; de lijnen zijn korter geworden.",
)
OWN_GOALS = (
    "Ik wil steviger staan in gesprekken met meerdere hulpverleners aan tafel.",
    "Ik wil beter weten wat er in de wijk speelt en wie ik kan inschakelen.",
)
# Per round of a team, oldest first: the two leefgebieden the region gives priority that season.
THEMES = (("LG01", "LG06"), ("LG09", "LG12"), ("LG03", "LG10"))
THEME_WEIGHT = 2  # a gap in a theme weighs as much as a gap two levels larger elsewhere
THEME_UPTAKE = 0.6  # of those without a goal in a theme: who add an own goal on one
THEME_GOAL = "De regio vraagt dit seizoen aandacht voor dit leefgebied: ik wil signalen eerder herkennen."
MAX_GOALS_PER_SECTION = 2
RETURN_COMMENT = "Mooi begin. Kun je bij het tweede doel concreter maken wanneer je het oppakt?"
SELF_STUDY = "Vakliteratuur en de werkinstructie doornemen; bespreken in het teamoverleg."
INTERVISIE = "Een casus inbrengen in de intervisie van het team."


@dataclass
class PopsSummary:
    by_status: Counter[str] = field(default_factory=Counter)
    actions: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "pops": sum(self.by_status.values()),
            "signed": self.by_status[PopStatus.SIGNED],
            "agreed": self.by_status[PopStatus.AGREED],
            "proposed": self.by_status[PopStatus.PROPOSED],
            "returned": self.by_status[PopStatus.RETURNED],
            "drafts": self.by_status[PopStatus.DRAFT],
            "actions": self.actions,
        }


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), UTC)


class _World:
    """Everything the POPs are drawn from, read with a fixed number of queries."""

    def __init__(self) -> None:
        rounds = db.session.scalars(select(ScanRound).order_by(ScanRound.team_id, ScanRound.opens_on)).all()
        self.rounds: dict[int, list[ScanRound]] = {}
        for scan_round in rounds:
            self.rounds.setdefault(scan_round.team_id, []).append(scan_round)
        self.submitted: dict[int, list[int]] = {}  # round id -> user ids, in order
        scan_rows = db.session.execute(
            select(Scan.id, Scan.round_id, Scan.user_id)
            .where(Scan.status == ScanStatus.SUBMITTED.value)
            .order_by(Scan.round_id, Scan.user_id)
        ).all()
        scan_user: dict[int, tuple[int, int]] = {}
        for scan_id, round_id, user_id in scan_rows:
            self.submitted.setdefault(round_id, []).append(user_id)
            scan_user[scan_id] = (round_id, user_id)
        # (round, user) -> [(item id, level, ambition)]
        self.answers: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
        answer_rows = db.session.execute(
            select(Answer.scan_id, Answer.item_id, Answer.level, Answer.ambition)
            .join(Scan, Scan.id == Answer.scan_id)
            .where(Scan.status == ScanStatus.SUBMITTED.value, Answer.level.is_not(None),
                   Answer.ambition.is_not(None))
            .order_by(Answer.scan_id, Answer.item_id)
        ).all()
        for scan_id, item_id, level, ambition in answer_rows:
            self.answers.setdefault(scan_user[scan_id], []).append((item_id, level, ambition))
        self.items = {i.id: i for i in db.session.scalars(select(Item).where(Item.retired.is_(False)))}
        self.sections: dict[int, str] = {
            section_id: code for section_id, code in db.session.execute(select(Section.id, Section.code))
        }
        # Per leefgebied: its lead item, the first algemeen one (signaleren).
        self.leads: dict[int, Item] = {}
        for item in sorted(self.items.values(), key=lambda i: (i.section_id, i.position, i.id)):
            if item.level_kind == LEVEL_ALGEMEEN:
                self.leads.setdefault(item.section_id, item)
        # (region id, item code) -> the region's active entries for the item: each region its own catalogue.
        self.trainings: dict[tuple[int, str], list[Training]] = {}
        for training, code in db.session.execute(
            select(Training, TrainingItem.item_code)
            .join(TrainingItem, TrainingItem.training_id == Training.id)
            .where(Training.active.is_(True))
            .order_by(Training.code, TrainingItem.item_code)
        ).all():
            self.trainings.setdefault((training.region_id, code), []).append(training)
        self.team_regions: dict[int, int] = {
            team_id: region_id
            for team_id, region_id in db.session.execute(
                select(Team.id, Municipality.region_id)
                .join(Municipality, Municipality.id == Team.municipality_id)
            )
        }
        self.members: dict[int, list[int]] = {}
        for user_id, team_id in db.session.execute(
            select(User.id, User.team_id)
            .where(User.role == Role.PROFESSIONAL.value, User.active.is_(True), User.team_id.is_not(None))
            .order_by(User.username)
        ).all():
            self.members.setdefault(team_id, []).append(user_id)
        self.leaders: dict[int, int] = {}
        for team_id, user_id in db.session.execute(
            select(team_leaders.c.team_id, team_leaders.c.user_id).order_by(team_leaders.c.user_id)
        ).all():
            self.leaders.setdefault(team_id, user_id)


def _goals(rng: random.Random, world: _World, round_id: int, user_id: int,
           themes: tuple[str, ...]) -> list[tuple[Item, str, str, int, int | None]]:
    """(item, reason kind, reason, target level, self-assessed level), most important first: gaps on
    generic competencies and lead items, large ones and the season's themes first, at most two in one
    section; then, for someone without a goal in a theme, often an own goal on a theme's lead item, and
    sometimes an own goal on a generic competency. An ambition goal's reason is its levels, not text."""
    answers = [(world.items[i], level, ambition)
               for i, level, ambition in world.answers.get((round_id, user_id), []) if i in world.items]
    gaps = []
    for item, level, ambition in answers:
        broad = item.level_kind == LEVEL_GENERIC or world.leads.get(item.section_id) is item
        if ambition > level and broad:
            section = world.sections[item.section_id]
            weight = ambition - level + (THEME_WEIGHT if section in themes else 0) + 2 * rng.random()
            gaps.append((weight, item.id, item, ambition, level, section))
    gaps.sort(key=lambda g: (-g[0], g[1]))
    count = rng.choice((2, 3, 3, 4))
    chosen: list[tuple[Item, str, str, int, int | None]] = []
    per_section: Counter[str] = Counter()
    for _weight, _id, item, target, level, section in gaps:
        if len(chosen) < count and per_section[section] < MAX_GOALS_PER_SECTION:
            per_section[section] += 1
            chosen.append((item, "ambition", "", target, level))
    taken = {item.id for item, *_rest in chosen}
    if not any(per_section[code] for code in themes) and rng.random() < THEME_UPTAKE:
        scanned = sorted({item.section_id for item, _level, _ambition in answers})
        leads = [world.leads[s] for s in scanned if world.sections[s] in themes and s in world.leads]
        if leads:
            lead = rng.choice(leads)
            taken.add(lead.id)
            chosen.append((lead, "own", THEME_GOAL, 0, None))
    if len(chosen) < 2 or rng.random() < 0.25:
        candidates = [i for i in world.items.values() if i.id not in taken and i.level_kind == LEVEL_GENERIC]
        if candidates:
            item = rng.choice(sorted(candidates, key=lambda i: i.code))
            chosen.append((item, "own", rng.choice(OWN_GOALS), 0, None))
    return chosen


def _actions(rng: random.Random, world: _World, item: Item, team_id: int, user_id: int,
             start: date) -> list[PopAction]:
    offers = world.trainings.get((world.team_regions[team_id], item.code), [])
    actions: list[PopAction] = []
    for n, training in enumerate(rng.sample(offers, min(len(offers), rng.choice((1, 1, 2))))):
        begin = start + timedelta(days=30 * n + rng.randint(0, 120))
        actions.append(PopAction(
            type=training.type, description=f"Deelnemen aan {training.title}.", training_id=training.id,
            planned_from=begin, planned_until=begin + timedelta(days=rng.choice((14, 30, 60, 180))),
            hours=training.hours, points=training.points,
        ))
    colleagues = [m for m in world.members.get(team_id, []) if m != user_id]
    if not actions or rng.random() < 0.4:
        begin = start + timedelta(days=rng.randint(10, 150))
        if colleagues and rng.random() < 0.5:
            actions.append(PopAction(
                type="meelopen", description=f"Een dagdeel meelopen met een collega op {item.code}.",
                colleague_id=rng.choice(colleagues), planned_from=begin,
                planned_until=begin + timedelta(days=30), hours=Decimal("4"), points=0,
            ))
        elif rng.random() < 0.5:
            actions.append(PopAction(
                type="intervisie", description=INTERVISIE, planned_from=begin,
                planned_until=begin + timedelta(days=60), hours=Decimal("2"), points=2,
            ))
        else:
            actions.append(PopAction(
                type="zelfstudie", description=SELF_STUDY, planned_from=begin,
                planned_until=begin + timedelta(days=45), hours=Decimal("3"), points=0,
            ))
    return actions


def _progress(rng: random.Random, action: PopAction, today: date) -> None:
    """Signed plans move on: past actions mostly done, a few overdue or dropped, current ones under way."""
    assert action.planned_from is not None and action.planned_until is not None
    if action.planned_until < today:
        roll = rng.random()
        if roll < 0.72:
            action.status = "afgerond"
            action.reflection = rng.choice(REFLECTIONS)
            action.status_changed_at = _at(action.planned_until)
        elif roll < 0.9:
            action.status = "gepland"  # overdue: its period has passed without an update
        else:
            action.status = "vervallen"
            action.status_changed_at = _at(action.planned_until)
    elif action.planned_from <= today:
        action.status = "bezig" if rng.random() < 0.7 else "gepland"
        if action.status == "bezig":
            action.status_changed_at = _at(action.planned_from)


def _pop(rng: random.Random, world: _World, scan_round: ScanRound, user_id: int, status: str,
         themes: tuple[str, ...], today: date) -> Pop | None:
    goals = _goals(rng, world, scan_round.id, user_id, themes)
    if not goals:
        return None
    closed = scan_round.closes_on < today
    start = scan_round.closes_on + timedelta(days=14) if closed else today
    leader_id = world.leaders.get(scan_round.team_id)
    created = _at(min(today, scan_round.closes_on + timedelta(days=3)) if closed
                  else today - timedelta(days=rng.randint(1, 5)))
    version = PopVersion(number=1, status=status, created_at=created)
    if status != PopStatus.DRAFT:
        version.proposed_at = created + timedelta(days=2)
    if status == PopStatus.RETURNED:
        version.leader_comment = RETURN_COMMENT
    if status in (PopStatus.AGREED, PopStatus.SIGNED):
        agreed = created + timedelta(days=rng.randint(4, 9))
        version.agreed_at, version.agreed_by_id = agreed, leader_id
    if status == PopStatus.SIGNED:
        version.professional_signed_at = agreed + timedelta(hours=rng.randint(1, 30))
        version.leader_signed_at = agreed + timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
        version.leader_signed_by_id = leader_id
    for position, (item, kind, reason, target, level) in enumerate(goals, start=1):
        goal = PopGoal(position=position, item_id=item.id, reason_kind=kind, reason=reason,
                       reason_level=level, reason_ambition=target if level is not None else None,
                       reason_level_agreed=False if level is not None else None,
                       target_level=target or None,
                       description=f"Groeien op {item.title_nl.lower()}." if kind != "own" else "")
        goal.actions = _actions(rng, world, item, scan_round.team_id, user_id, start)
        if status == PopStatus.SIGNED:
            for action in goal.actions:
                _progress(rng, action, today)
        version.goals.append(goal)
    return Pop(round_id=scan_round.id, user_id=user_id, created_at=created, versions=[version])


def seed_demo_pops(today: date) -> PopsSummary:
    """POPs in every team's closed rounds and open round (see the module docstring). Needs the rounds and
    the catalogue; loads nothing when the database has any POP already."""
    summary = PopsSummary()
    if db.session.scalar(select(Pop.id).limit(1)) is not None:
        return summary
    rng = random.Random(SEED)
    world = _World()
    pops: list[Pop] = []
    for team_id in sorted(world.rounds):
        rounds = world.rounds[team_id]
        themes = {r.id: THEMES[n % len(THEMES)] for n, r in enumerate(rounds)}
        closed = [r for r in rounds if r.closes_on < today]
        current = [r for r in rounds if r.opens_on <= today <= r.closes_on]
        for earlier in closed:
            latest = earlier is closed[-1]
            for user_id in world.submitted.get(earlier.id, []):
                if rng.random() >= POP_SHARE:
                    continue
                roll = rng.random()
                status = (PopStatus.AGREED if latest and roll < AGREED_SHARE
                          else PopStatus.PROPOSED if latest and roll < AGREED_SHARE + PROPOSED_SHARE
                          else PopStatus.SIGNED)
                pop = _pop(rng, world, earlier, user_id, status, themes[earlier.id], today)
                if pop:
                    pops.append(pop)
        if current:
            now_round = current[-1]
            returned = False
            for user_id in world.submitted.get(now_round.id, []):
                roll = rng.random()
                if not returned:
                    status, returned = PopStatus.RETURNED, True
                elif roll < 0.4:
                    status = PopStatus.DRAFT
                elif roll < 0.75:
                    status = PopStatus.PROPOSED
                else:
                    continue  # not started on a POP yet
                pop = _pop(rng, world, now_round, user_id, status, themes[now_round.id], today)
                if pop:
                    pops.append(pop)
    db.session.add_all(pops)
    db.session.flush()
    for pop in pops:
        summary.by_status[pop.versions[0].status] += 1
        summary.actions += sum(len(goal.actions) for goal in pop.versions[0].goals)
    return summary

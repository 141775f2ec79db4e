"""The little world the POP tests share (drafting, signing, the PDF and the leader's overview).

Built on the teamschouw's plan world (tests/teamschouw/plan_world.py): Wijkteam Proef with leader Lies,
Anna and Bert (submitted scans with gaps) and Cor (draft scan); another team with its leader and Els;
a regional coordinator and an administrator. Added here:

- a team priority for the round on the leefgebied LG01 (Financien), and one on the item GC02;
- Bert as accepted vraagbaak for GC01 (and a pending one for LG02, which must not show);
- three active catalogue trainings (TR-GC01 for GC01, TR-LG01 for LG01-A1 and LG01-S1, TR-LG02 for
  LG02-A1) and one inactive one (TR-OLD for GC01), in the catalogue of the team's region (`w["region"]`).

Anna's scan (level, ambition): GC01 (2, 3) ambition gap; GC02 (3, 3); LG01-A1 (1, 2) gap and below the
individual norm (2); LG01-S1 (3, 3); LG02-A1 (2, 2).

`make_pop(app, w, ...)` gives a POP with one version, one goal and one action (ids returned).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from scan.catalogue.models import Training, TrainingItem
from scan.core.clock import today as clock_today
from scan.extensions import db
from scan.organisation.models import Team
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.teamschouw.models import Agreement, AgreementKind, ConsentStatus, TeamPriority
from tests.teamschouw import plan_world
from tests.teamschouw.plan_world import english  # noqa: F401  (re-exported for the POP tests)

TRAININGS = (
    # code, title, provider, type, hours, points, item codes, active
    ("TR-GC01", "Motiverende gespreksvoering", "Academie Noord", "training", "16.0", 12, ("GC01",), True),
    (
        "TR-LG01",
        "Schulden vroeg signaleren",
        "Geldwijs Opleidingen",
        "e-learning",
        "4.0",
        4,
        ("LG01-A1", "LG01-S1"),
        True,
    ),
    ("TR-LG02", "Huurachterstanden aanpakken", "Woonkennis", "training", "8.0", 6, ("LG02-A1",), True),
    ("TR-OLD", "Oude gesprekstraining", "Academie Noord", "training", "8.0", 0, ("GC01",), False),
)


def build(app: Any) -> dict[str, Any]:
    w = plan_world.build(app)
    with app.app_context():
        db.session.add_all(
            [
                TeamPriority(
                    round_id=w["round"],
                    section_id=w["sections"]["LG01"],
                    position=1,
                    reason="Veel vragen over schulden in de wijk",
                    created_by_id=w["leader_id"],
                ),
                TeamPriority(
                    round_id=w["round"],
                    item_id=w["items"]["GC02"],
                    position=2,
                    reason="Vraagverheldering bij multiprobleem",
                    created_by_id=w["leader_id"],
                ),
                Agreement(
                    round_id=w["round"],
                    kind=AgreementKind.VRAAGBAAK,
                    member_id=w["bert_id"],
                    item_id=w["items"]["GC01"],
                    consent=ConsentStatus.ACCEPTED,
                ),
                Agreement(
                    round_id=w["round"],
                    kind=AgreementKind.VRAAGBAAK,
                    member_id=w["cor_id"],
                    section_id=w["sections"]["LG02"],
                    consent=ConsentStatus.PENDING,
                ),
            ]
        )
        # The catalogue of the region of Wijkteam Proef (each team of the plan world has a region of its own).
        region_id = db.session.get(Team, w["team"]).municipality.region_id
        trainings = {}
        for code, title, provider, kind, hours, points, item_codes, active in TRAININGS:
            training = Training(
                region_id=region_id,
                code=code,
                title=title,
                provider=provider,
                type=kind,
                hours=Decimal(hours),
                points=points,
                active=active,
                cost_cents=25000,
            )
            training.item_codes = [TrainingItem(item_code=c) for c in item_codes]
            db.session.add(training)
            db.session.flush()
            trainings[code] = training.id
        db.session.commit()
    w["trainings"] = trainings
    w["region"] = region_id
    return w


def make_pop(
    app: Any,
    w: dict[str, Any],
    user_key: str = "anna",
    *,
    status: str = "draft",
    item_code: str = "GC01",
    action_status: str = "gepland",
    until_in_days: int = 30,
    round_key: str = "round",
) -> dict[str, int]:
    """A POP for the user in the round with one version (in `status`), one goal and one action."""
    with app.app_context():
        pop = Pop(round_id=w[round_key], user_id=w[f"{user_key}_id"])
        version = PopVersion(pop=pop, number=1, status=status)
        goal = PopGoal(
            version=version,
            position=1,
            item_id=w["items"][item_code],
            reason_kind="ambition",
            reason="Ambitie 3, niveau 2",
            description="Beter contact maken",
        )
        today = clock_today()
        action = PopAction(
            goal=goal,
            type="training",
            description="Training volgen",
            training_id=w["trainings"]["TR-GC01"],
            planned_from=today,
            planned_until=today + timedelta(days=until_in_days),
            hours=Decimal("16.0"),
            points=12,
            status=action_status,
        )
        db.session.add_all([pop, version, goal, action])
        db.session.commit()
        return {"pop": pop.id, "version": version.id, "goal": goal.id, "action": action.id}


def pop_counts(app: Any) -> dict[str, int]:
    """Rows of every POP table, to show that a refused POST changed nothing."""
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Pop, PopVersion, PopGoal, PopAction)
        }


def snapshot(app: Any) -> list[tuple[Any, ...]]:
    """Every goal and action field a POST could change."""
    with app.app_context():
        goals = [(g.id, g.item_id, g.description, g.reason_kind) for g in db.session.scalars(select(PopGoal))]
        actions = [
            (
                a.id,
                a.type,
                a.description,
                a.status,
                a.reflection,
                a.training_id,
                a.planned_from,
                a.planned_until,
                a.hours,
            )
            for a in db.session.scalars(select(PopAction))
        ]
        versions = [(v.id, v.number, v.status) for v in db.session.scalars(select(PopVersion))]
        return [*goals, *actions, *versions]

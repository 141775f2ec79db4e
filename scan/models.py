"""Imports every feature's models, so the metadata (and Alembic) knows all tables."""

from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound
from scan.audit.models import AuditEvent
from scan.auth.models import LoginFailure, User, UserSession
from scan.catalogue.models import Training
from scan.kenniskaart.models import Item, KenniskaartVersion, LevelDescriptor, ScaleLevel, Section
from scan.organisation.models import Municipality, Region, Team
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.regio.models import Period, Publication
from scan.teamschouw.models import Agreement, Calibration, TeamNorm, TeamPriority, TeamSession

__all__ = [
    "Agreement",
    "Answer",
    "AuditEvent",
    "Calibration",
    "Item",
    "KenniskaartVersion",
    "LevelDescriptor",
    "LoginFailure",
    "Municipality",
    "Period",
    "Pop",
    "PopAction",
    "PopGoal",
    "PopVersion",
    "Publication",
    "Region",
    "ScaleLevel",
    "Scan",
    "ScanEvent",
    "ScanRound",
    "Section",
    "Team",
    "TeamNorm",
    "TeamPriority",
    "TeamSession",
    "Training",
    "User",
    "UserSession",
]

"""The kinds of development activity: a POP action has one, a catalogue entry one of the trainable ones."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

ACTION_TYPES = ("training", "e-learning", "intervisie", "meelopen", "coaching", "casuistiek", "zelfstudie")
TRAINING_TYPES = ("training", "e-learning", "intervisie", "meelopen", "coaching")

ACTION_TYPE_LABELS: dict[str, Any] = {
    "training": _l("Training"),
    "e-learning": _l("E-learning"),
    "intervisie": _l("Peer consultation (intervisie)"),
    "meelopen": _l("Job shadowing (meelopen)"),
    "coaching": _l("Coaching"),
    "casuistiek": _l("Case discussion (casuïstiekbespreking)"),
    "zelfstudie": _l("Self-study"),
}
assert set(ACTION_TYPE_LABELS) == set(ACTION_TYPES)

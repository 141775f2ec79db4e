"""The default training catalogue (fictional providers, realistic formats and prices) and loading it.

Entries follow section 3 of the Kenniskaart outline (TR01–TR25). Prices are per participant in whole
cents, excl. VAT; internal activities cost nothing but still take hours. Accreditation points follow the
habit of the professional registers (SKJ, Registerplein): about one point per contact hour for training
and e-learning, reflection hours for intervisie and coaching, none for meelopen. Items are referred to
by code, so the catalogue outlives Kenniskaart versions. Some items deliberately have no offer at all
(LG02-S2, LG03-S2, LG05-A2, LG08-S2, LG11-S2, LG12-S2). Each region has its own catalogue: the demo
seeds this one into the demo region.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from scan.catalogue.models import Training
from scan.catalogue.services import TrainingData, new_training
from scan.extensions import db
from scan.organisation.models import Region

ALGEMEEN = "algemeen"
SPECIALISTISCH = "specialistisch"


def _e(code: str, title: str, provider: str, type_: str, level: str, hours: str, euros: int, points: int,
       group: tuple[int, int] | None, items: str) -> TrainingData:
    return TrainingData(code, title, provider, type_, level, Decimal(hours), euros * 100, points,
                        group[0] if group else None, group[1] if group else None, tuple(items.split()))


LINDEWAARD = "Lindewaard Academie"
WIJKWERK = "Stichting Wijkwerk Opleidingen"
VEILIG = "Kenniscentrum Veilig Opgroeien Oost"
LEERPLEIN = "Leerplein Sociaal Domein"
GGZ = "GGZ Rivierduinen-Oost (consulent)"

CATALOGUE: tuple[TrainingData, ...] = (
    _e("TR01", "Basistraining Motiverende Gespreksvoering", LINDEWAARD, "training", ALGEMEEN, "21", 950,
       21, (8, 14), "GC01 GC03 LG07-S1 LG07-A2"),
    _e("TR02", "Oplossingsgericht werken in het wijkteam", WIJKWERK, "training", ALGEMEEN, "14", 560, 14,
       (8, 16), "GC02 GC03"),
    _e("TR03", "E-learning Meldcode huiselijk geweld en kindermishandeling", LEERPLEIN, "e-learning",
       ALGEMEEN, "3", 45, 3, None, "GC04 LG09-A1 LG09-A2"),
    _e("TR04", "Veiligheid in de praktijk: veiligheidsplan en samenwerking met Veilig Thuis", VEILIG,
       "training", SPECIALISTISCH, "14", 620, 14, (8, 12), "LG09-S1 LG09-S2 GC04"),
    _e("TR05", "Opleiding aandachtsfunctionaris huiselijk geweld", VEILIG, "training", SPECIALISTISCH, "28",
       1350, 28, (10, 16), "LG09-S3 GC07"),
    _e("TR06", "LVB herkennen en screenen met de SCIL", LINDEWAARD, "training", ALGEMEEN, "7", 395, 7,
       (6, 14), "LG12-A1 LG12-A2 LG12-S1"),
    _e("TR07", "Eerste hulp bij psychische problemen en middelengebruik", WIJKWERK, "training", ALGEMEEN,
       "8", 195, 8, (8, 16), "LG06-A1 LG06-A2 LG07-A1 GC04"),
    _e("TR08", "Casuïstiekoverleg met GGZ-consulent (maandelijks, 10×)", GGZ, "intervisie", SPECIALISTISCH,
       "15", 0, 15, (4, 8), "LG06-S1 LG06-S2 LG07-S2"),
    _e("TR09", "Geldzorgen signaleren en doorverwijzen", LEERPLEIN, "e-learning", ALGEMEEN, "2", 35, 2,
       None, "LG01-A1 LG01-A2 LG01-A3"),
    _e("TR10", "Verdieping schulden: stabiliseren en beslagvrije voet", LINDEWAARD, "training",
       SPECIALISTISCH, "14", 650, 14, (8, 14), "LG01-S1 LG01-S2"),
    _e("TR11", "Participatiewet voor wijkprofessionals", "Team Werk & Inkomen (intern)", "training",
       ALGEMEEN, "4", 0, 4, (6, 20), "LG02-A1 LG02-A2 GC05"),
    _e("TR12", "Meelopen met een klantmanager Werk & Inkomen", "Team Werk & Inkomen (intern)", "meelopen",
       SPECIALISTISCH, "8", 0, 0, (1, 2), "LG02-S1 GC05"),
    _e("TR13", "Meelopen met de wijkverpleegkundige", "Wijkverpleging Lindewaard (intern)", "meelopen",
       ALGEMEEN, "8", 0, 0, (1, 2), "LG05-A1 LG05-S1 LG04-A1"),
    _e("TR14", "Wmo 2015: van melding tot gespreksverslag", LEERPLEIN, "e-learning", ALGEMEEN, "3", 75, 3,
       None, "LG04-A2 LG04-S1 GC07"),
    _e("TR15", "Wlz, Zvw of Wmo? Routes bij langdurige zorg", LEERPLEIN, "e-learning", SPECIALISTISCH, "2",
       50, 2, None, "LG05-S2 LG04-S2"),
    _e("TR16", "Mantelzorgers in beeld en ondersteund", "Steunpunt Mantelzorg Lindewaard", "training",
       ALGEMEEN, "4", 175, 4, (8, 20), "LG10-A2 LG10-S1"),
    _e("TR17", "Netwerkberaad en familiegroepsplan begeleiden", WIJKWERK, "training", SPECIALISTISCH, "14",
       720, 14, (8, 12), "LG10-A1 LG10-S2 LG08-S1 GC03"),
    _e("TR18", "1Gezin1Plan1Regisseur: regie bij multiproblematiek", LINDEWAARD, "training", ALGEMEEN, "7",
       350, 7, (10, 16), "GC05 LG08-S1"),
    _e("TR19", "Privacy en gegevensdeling in het sociaal domein", LEERPLEIN, "e-learning", ALGEMEEN, "2", 40,
       2, None, "GC07"),
    _e("TR20", "Intervisiegroep wijkteam (6 bijeenkomsten, externe begeleider)", WIJKWERK, "intervisie",
       ALGEMEEN, "12", 180, 12, (5, 8), "GC08 GC02"),
    _e("TR21", "Outreachend werken en collectieve aanpak in de wijk", WIJKWERK, "training", ALGEMEEN, "7",
       310, 7, (8, 16), "GC06 LG10-A2"),
    _e("TR22", "Individuele coaching op POP-doelen (5 sessies)", "Coachpraktijk De Uiterwaard", "coaching",
       ALGEMEEN, "7.5", 875, 7, (1, 1), "GC08"),
    _e("TR23", "Huisuitzetting voorkomen: samenwerken met de corporatie", "Woonstichting Lindewaard",
       "training", ALGEMEEN, "4", 150, 4, (8, 20), "LG03-A1 LG03-S1 LG03-A2"),
    _e("TR24", "Opvoedvragen en normale ontwikkeling", LEERPLEIN, "e-learning", ALGEMEEN, "4", 60, 4, None,
       "LG08-A1 LG08-A2"),
    _e("TR25", "Meelopen met reclassering / Zorg- en Veiligheidshuis", "Zorg- en Veiligheidshuis Lindewaard",
       "meelopen", SPECIALISTISCH, "8", 0, 0, (1, 2), "LG11-A1 LG11-A2 LG11-S1"),
)


def seed_catalogue(region_id: int | None = None, entries: tuple[TrainingData, ...] = CATALOGUE) -> int:
    """Add the entries whose code is not in the region's catalogue yet; without a region, to every region
    (each has its own catalogue). Returns how many were added. Flushes."""
    region_ids = [region_id] if region_id is not None else list(
        db.session.scalars(select(Region.id).order_by(Region.id))
    )
    codes = [e.code for e in entries]
    existing = {
        (rid, code)
        for rid, code in db.session.execute(
            select(Training.region_id, Training.code)
            .where(Training.region_id.in_(region_ids), Training.code.in_(codes))
        )
    }
    added = [new_training(e, rid) for rid in region_ids for e in entries if (rid, e.code) not in existing]
    db.session.add_all(added)
    db.session.flush()
    return len(added)

"""The fictional demo region: Regio Lindewaard. Deterministic, so every newcomer sees the same world."""

from __future__ import annotations

from dataclasses import dataclass

from scan.access import Role

REGION = ("LINDEWAARD", "Regio Lindewaard")

MUNICIPALITIES = (
    ("GM-LW", "Lindewaard"),
    ("GM-OB", "Oosterbeemd"),
    ("GM-RH", "Ravenhorst"),
    ("GM-KW", "Kleiweerd"),
    ("GM-SK", "Sterkamp"),
)

# (team code, name, municipality code, number of professionals). Big enough that the regional heat map of a
# published period shows numbers: a cell counts the people of a municipality with a need in one leefgebied,
# and a count below k (5) is hidden, so a municipality of 20 shows far more of its cells than one of 7.
TEAMS = (
    ("LW-CENTRUM", "Wijkteam Lindewaard-Centrum", "GM-LW", 30),
    ("LW-NOORD", "Wijkteam Lindewaard-Noord", "GM-LW", 26),
    ("OB-DORPEN", "Sociaal team Oosterbeemd", "GM-OB", 30),
    ("RH-WEST", "Wijkteam Ravenhorst-West", "GM-RH", 27),
    ("RH-OOST", "Wijkteam Ravenhorst-Oost", "GM-RH", 30),
    ("KW-SK", "Gebiedsteam Kleiweerd", "GM-KW", 30),
    ("SK-BREED", "Sociaal wijkteam Sterkamp", "GM-SK", 28),
)

# Demo passwords, printed at start. They are only for this fictional region.
PASSWORDS = {
    Role.PROFESSIONAL: "zelfscan-demo-2026",
    Role.TEAMLEIDER: "teamschouw-demo-2026",
    Role.REGIOCOORDINATOR: "scholingsplan-demo-2026",
    Role.BEHEERDER: "beheer-demo-2026",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    teams: tuple[str, ...] = ()
    region: str | None = None

    @property
    def password(self) -> str:
        return PASSWORDS[self.role]


LEADERS = (
    DemoAccount("m.dekker", "Marloes Dekker", Role.TEAMLEIDER, ("LW-CENTRUM",)),
    DemoAccount("r.bouali", "Rachid Bouali", Role.TEAMLEIDER, ("LW-NOORD",)),
    DemoAccount("i.postma", "Ingrid Postma", Role.TEAMLEIDER, ("OB-DORPEN",)),
    DemoAccount("j.vanleeuwen", "Jeroen van Leeuwen", Role.TEAMLEIDER, ("RH-WEST",)),
    DemoAccount("a.kartosen", "Anita Kartosen", Role.TEAMLEIDER, ("RH-OOST",)),
    # One team leader leads two small teams, as often happens in smaller municipalities.
    DemoAccount("k.devries", "Karin de Vries", Role.TEAMLEIDER, ("KW-SK", "SK-BREED")),
)

STAFF = (
    DemoAccount("e.hoekstra", "Esther Hoekstra", Role.REGIOCOORDINATOR, region="LINDEWAARD"),
    DemoAccount("beheer", "Tom Verhoeven", Role.BEHEERDER),
)

_FIRST = (
    "Sanne", "Mohamed", "Lotte", "Daan", "Fatima", "Bram", "Anouk", "Youssef", "Femke", "Thijs", "Naima",
    "Joost", "Iris", "Sem", "Ayşe", "Ruben", "Eva", "Kees", "Priya", "Wouter", "Marieke", "Hamza", "Noor",
    "Pieter", "Laura", "Emre", "Sophie", "Gerrit", "Yara", "Martijn", "Chantal", "Luuk", "Samira", "Hanneke",
    "Dewi", "Bart", "Esra", "Floor", "Koen", "Mila",
)
_LAST = (
    "Bakker", "El Amrani", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
    "Peters", "Hendriks", "van Dijk", "Yilmaz", "Jansen", "Kok", "Willems", "Sedney", "Brouwer", "de Wit",
    "Dijkstra", "Kaya", "Koster", "Prins", "Huisman", "Vermeulen", "van der Meer", "Kramer", "Wolters",
    "Haddou", "Bosman", "Scholten", "van Wijk", "Mertens", "Lammers",
)


def _username(first: str, last: str) -> str:
    initial = first[0].lower().replace("ş", "s")
    return f"{initial}.{last.lower().replace(' ', '')}"


def professionals() -> list[DemoAccount]:
    """Names are drawn deterministically from the lists above; usernames stay unique."""
    accounts: list[DemoAccount] = []
    taken: set[str] = {a.username for a in LEADERS + STAFF}
    n = 0
    for code, _name, _municipality, size in TEAMS:
        for _ in range(size):
            first, last = _FIRST[n % len(_FIRST)], _LAST[(n * 13 + n // len(_FIRST)) % len(_LAST)]
            n += 1
            username = _username(first, last)
            suffix = 2
            while username in taken:
                username = f"{_username(first, last)}{suffix}"
                suffix += 1
            taken.add(username)
            accounts.append(DemoAccount(username, f"{first} {last}", Role.PROFESSIONAL, (code,)))
    return accounts


def all_accounts() -> list[DemoAccount]:
    return [*STAFF, *LEADERS, *professionals()]

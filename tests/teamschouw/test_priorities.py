"""Team priorities (own and suggested) and agreements, as the team leader uses them."""

import re

import pytest
from sqlalchemy import select

from scan.access import Role
from scan.assessment.models import Scan, ScanRound
from scan.auth.models import User
from scan.core.rules import RuleError
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.teamschouw import services
from scan.teamschouw.models import Agreement, TeamPriority
from scan.teamschouw.plan import queries as plan_queries
from tests.factories import login, make_scan, make_user
from tests.teamschouw.plan_world import base, build, english


@pytest.fixture
def w(app):
    return build(app)


def _page(client, w):
    return client.get(f"{base(w)}/prioriteiten").get_data(as_text=True)


def _post(client, w, path, data):
    return client.submit(f"{base(w)}{path}", data, page=f"{base(w)}/prioriteiten")


def _priorities(app, round_id):
    with app.app_context():
        rows = db.session.scalars(
            select(TeamPriority).where(TeamPriority.round_id == round_id).order_by(TeamPriority.position)
        )
        return [(p.item.code if p.item else p.section.code, p.position, p.source, p.reason) for p in rows]


def _agreements(app, round_id):
    with app.app_context():
        rows = db.session.scalars(
            select(Agreement).where(Agreement.round_id == round_id).order_by(Agreement.id)
        )
        return [
            (
                a.kind,
                a.member.full_name if a.member else None,
                a.item.code if a.item else (a.section.code if a.section else None),
                a.text,
                a.consent,
            )
            for a in rows
        ]


def _suggestions(html):
    block = re.search(r'<ol class="utrecht-ordered-list" id="suggestions">(.*?)</ol>', html, re.S)
    if block is None:
        return []
    return [
        (code, re.sub(r"\s+", " ", reason).strip())
        for code, reason in re.findall(
            r'<li data-item="([^"]+)">.*?<span class="app-item__meta">— (.*?)</span>', block.group(1), re.S
        )
    ]


# --- suggestions -----------------------------------------------------------------------------------------


def test_suggestions_are_ranked_with_a_reason_from_submitted_scans_only(client, w):
    login(client, w["leader"])
    html = _page(client, w)
    # Anna and Bert submitted; Cor's draft counts for nothing ("of 2").
    assert _suggestions(html) == [
        ("GC01", "1 van 2 onder de norm; 2 van 2 willen groeien"),
        ("LG01-A1", "1 van 2 onder de norm; 2 van 2 willen groeien"),
        ("LG01-S1", "rust op één persoon"),
    ]
    assert "Nog geen prioriteiten." in html


def test_taking_over_a_suggestion_adds_it_with_the_apps_reason(app, client, w):
    login(client, w["leader"])
    response = _post(client, w, "/prioriteiten/overnemen", {"item_id": w["items"]["LG01-S1"]})
    assert response.status_code == 302 and response.headers["Location"].endswith("#suggestions-heading")
    assert _priorities(app, w["round"]) == [("LG01-S1", 0, "suggested", "rust op één persoon")]
    html = _page(client, w)
    assert "LG01-S1 is toegevoegd aan de prioriteiten." in html
    row = re.search(r'data-priority="LG01-S1">(.*?)</tr>', html, re.S).group(1)
    assert "Stabiliseren" in row and "rust op één persoon" in row and "voorgesteld door de app" in row
    s1 = re.search(r'<li data-item="LG01-S1">(.*?)</li>', html, re.S).group(1)
    assert "al een prioriteit" in s1 and "Overnemen" not in s1
    gc01 = re.search(r'<li data-item="GC01">(.*?)</li>', html, re.S).group(1)
    assert "Overnemen" in gc01
    # Twice is refused; an item the app does not suggest cannot be "taken over".
    _post(client, w, "/prioriteiten/overnemen", {"item_id": w["items"]["LG01-S1"]})
    assert "Dit is al een van de prioriteiten van het team." in _page(client, w)
    _post(client, w, "/prioriteiten/overnemen", {"item_id": w["items"]["GC02"]})
    assert "Deze suggestie is er niet meer" in _page(client, w)
    assert len(_priorities(app, w["round"])) == 1


def test_a_team_without_submissions_gets_no_suggestions(app, client, w):
    with app.app_context():
        db.session.get(Scan, w["outsider_scan"]).status = "draft"
        db.session.commit()
    login(client, w["other_leader"])
    html = client.get(f"{base(w, 'other_round', 'other_team')}/prioriteiten").get_data(as_text=True)
    assert "Nog geen suggesties: niemand heeft in deze ronde een scan ingediend." in html


# --- own priorities, order, removal ---------------------------------------------------------------------


def test_adding_an_own_priority_for_a_whole_leefgebied(app, client, w):
    login(client, w["leader"])
    html = _page(client, w)
    assert f'<option value="section:{w["sections"]["LG02"]}">Heel leefgebied: Wonen</option>' in html
    assert f'<option value="item:{w["items"]["GC01"]}">GC01 Contact maken</option>' in html
    assert '<optgroup label="LG01 Financien">' in html
    response = _post(
        client,
        w,
        "/prioriteiten/toevoegen",
        {
            "priority-target": f"section:{w['sections']['LG02']}",
            "priority-reason": "Veel huurachterstanden",
        },
    )
    assert response.status_code == 302
    assert _priorities(app, w["round"]) == [("LG02", 0, "own", "Veel huurachterstanden")]
    html = _page(client, w)
    row = re.search(r'data-priority="Wonen">(.*?)</tr>', html, re.S).group(1)
    assert "Heel leefgebied: Wonen" in row and "Veel huurachterstanden" in row and "eigen keuze" in row
    # The row's actions sit side by side in one button group; removing is marked as destructive.
    actions = re.findall(r'<div class="app-button-group app-button-group--compact">(.*?)</div>', row, re.S)
    assert len(actions) == 1
    assert re.search(r'class="[^"]*app-button--danger[^"]*">Verwijderen', actions[0])


def test_errors_show_a_summary_and_keep_what_was_typed(app, client, w):
    login(client, w["leader"])
    response = _post(
        client, w, "/prioriteiten/toevoegen", {"priority-target": "", "priority-reason": "Omdat het moet"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Fout:" in html
    assert 'href="#priority-target">Kies een item of een leefgebied.</a>' in html
    assert re.search(r">\s*Omdat het moet</textarea>", html)
    target = f"item:{w['items']['GC02']}"
    response = _post(
        client, w, "/prioriteiten/toevoegen", {"priority-target": target, "priority-reason": "  "}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#priority-reason">Geef een reden voor deze prioriteit.</a>' in html
    assert f'<option selected value="{target}">GC02 Vraagverheldering</option>' in html
    # The rest of the page is still all there.
    assert 'id="suggestions"' in html and 'id="vraagbaak-heading"' in html
    assert _priorities(app, w["round"]) == []
    # The same item twice, and a target from another Kenniskaart version, are refused.
    _post(client, w, "/prioriteiten/toevoegen", {"priority-target": target, "priority-reason": "Eerste keer"})
    response = _post(
        client, w, "/prioriteiten/toevoegen", {"priority-target": target, "priority-reason": "Nog eens"}
    )
    assert response.status_code == 422
    assert 'href="#priority-target">Dit is al een van de prioriteiten van het team.</a>' in response.get_data(
        as_text=True
    )
    response = _post(
        client, w, "/prioriteiten/toevoegen", {"priority-target": "item:999999", "priority-reason": "x"}
    )
    assert response.status_code == 422
    assert [p[0] for p in _priorities(app, w["round"])] == ["GC02"]


def test_moving_up_and_down_and_removing(app, client, w):
    login(client, w["leader"])
    for code in ("GC01", "GC02", "LG02-A1"):
        _post(
            client,
            w,
            "/prioriteiten/toevoegen",
            {"priority-target": f"item:{w['items'][code]}", "priority-reason": f"Reden {code}"},
        )
    with app.app_context():
        ids = {p.item.code: p.id for p in plan_queries.priorities(w["round"])}
    html = _page(client, w)
    first = re.search(r'data-priority="GC01">(.*?)</tr>', html, re.S).group(1)
    assert "Omhoog" not in first and "Omlaag" in first and "Verwijderen" in first
    last = re.search(r'data-priority="LG02-A1">(.*?)</tr>', html, re.S).group(1)
    assert "Omhoog" in last and "Omlaag" not in last
    response = _post(client, w, f"/prioriteiten/{ids['LG02-A1']}/verplaatsen", {"direction": "up"})
    assert response.headers["Location"].endswith(f"#priority-{ids['LG02-A1']}")
    assert [p[0] for p in _priorities(app, w["round"])] == ["GC01", "LG02-A1", "GC02"]
    _post(client, w, f"/prioriteiten/{ids['GC01']}/verplaatsen", {"direction": "up"})  # already first
    _post(client, w, f"/prioriteiten/{ids['GC01']}/verplaatsen", {"direction": "down"})
    assert [p[0] for p in _priorities(app, w["round"])] == ["LG02-A1", "GC01", "GC02"]
    _post(client, w, f"/prioriteiten/{ids['GC01']}/verplaatsen", {"direction": "sideways"})
    _post(client, w, f"/prioriteiten/{ids['LG02-A1']}/verwijderen", {})
    assert _priorities(app, w["round"]) == [
        ("GC01", 0, "own", "Reden GC01"),
        ("GC02", 1, "own", "Reden GC02"),
    ]
    html = _page(client, w)
    assert re.findall(r'data-priority="([^"]+)"', html) == ["GC01", "GC02"]


def test_a_priority_of_another_round_is_not_found(app, client, w):
    with app.app_context():
        other_round = db.session.get(ScanRound, w["other_round"])
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        priority = services.add_priority(
            other_round, leader, reason="Elders", item=db.session.get(Item, w["items"]["GC01"])
        )
        db.session.commit()
        priority_id = priority.id
    login(client, w["leader"])
    assert (
        _post(client, w, f"/prioriteiten/{priority_id}/verplaatsen", {"direction": "up"}).status_code == 404
    )
    assert _post(client, w, f"/prioriteiten/{priority_id}/verwijderen", {}).status_code == 404
    assert _priorities(app, w["other_round"]) == [("GC01", 0, "own", "Elders")]


def test_priority_services_keep_a_gapless_order(app, w):
    with app.app_context():
        scan_round = db.session.get(ScanRound, w["round"])
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        items = {code: db.session.get(Item, item_id) for code, item_id in w["items"].items()}
        section = db.session.get(Section, w["sections"]["LG01"])
        a = services.add_priority(scan_round, leader, reason="a", item=items["GC01"])
        b = services.add_priority(scan_round, leader, reason="b", section=section)
        c = services.add_priority(scan_round, leader, reason="c", item=items["GC02"], source="suggested")
        assert [p.position for p in (a, b, c)] == [0, 1, 2]
        assert services.move_priority(c, up=True) is True
        assert services.move_priority(a, up=True) is False
        assert services.move_priority(b, up=False) is False  # b is last now
        assert [p.id for p in plan_queries.priorities(scan_round.id)] == [a.id, c.id, b.id]
        services.remove_priority(a)
        assert [(p.id, p.position) for p in plan_queries.priorities(scan_round.id)] == [(c.id, 0), (b.id, 1)]
        with pytest.raises(RuleError) as error:
            services.add_priority(scan_round, leader, reason="", item=items["LG02-A1"])
        assert error.value.field == "reason"
        with pytest.raises(RuleError):
            services.add_priority(scan_round, leader, reason="x", item=items["GC01"], section=section)
        d = services.add_priority(scan_round, leader, reason="d", item=items["LG02-A1"])
        assert d.position == 2
        db.session.rollback()


# --- agreements -----------------------------------------------------------------------------------------


def test_vraagbaak_requests_wait_for_the_members_consent(app, client, w):
    login(client, w["leader"])
    response = _post(
        client,
        w,
        "/afspraken/vraagbaak",
        {
            "vraagbaak-member": w["anna_id"],
            "vraagbaak-target": f"section:{w['sections']['LG01']}",
        },
    )
    assert response.status_code == 302
    assert _agreements(app, w["round"]) == [("vraagbaak", "Anna Aalders", "LG01", "", "pending")]
    html = _page(client, w)
    assert "Anna Aalders is gevraagd om vraagbaak te zijn." in html
    row = re.search(r'<table class="utrecht-table" id="vraagbaak">.*?</table>', html, re.S).group(0)
    assert "Anna Aalders" in row and "Heel leefgebied: Financien" in row and "wacht op antwoord" in row
    # The same request again, a member of another team, nobody chosen: refused, nothing stored.
    response = _post(
        client,
        w,
        "/afspraken/vraagbaak",
        {
            "vraagbaak-member": w["anna_id"],
            "vraagbaak-target": f"section:{w['sections']['LG01']}",
        },
    )
    assert response.status_code == 422
    assert "Dit teamlid is in deze ronde al gevraagd voor dit thema." in response.get_data(as_text=True)
    response = _post(
        client,
        w,
        "/afspraken/vraagbaak",
        {
            "vraagbaak-member": w["outsider_id"],
            "vraagbaak-target": f"item:{w['items']['GC01']}",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#vraagbaak-member">Kies een lid van dit team.</a>' in html
    assert f'<option selected value="item:{w["items"]["GC01"]}">GC01 Contact maken</option>' in html
    response = _post(client, w, "/afspraken/vraagbaak", {"vraagbaak-member": "", "vraagbaak-target": ""})
    html = response.get_data(as_text=True)
    assert 'href="#vraagbaak-member">Kies een lid van dit team.</a>' in html
    assert 'href="#vraagbaak-target">Kies een item of een leefgebied.</a>' in html
    assert len(_agreements(app, w["round"])) == 1
    # The leader sees the member's answer.
    with app.app_context():
        agreement = db.session.scalars(select(Agreement)).one()
        agreement.consent = "declined"
        db.session.commit()
    assert "afgewezen" in re.search(r'id="vraagbaak">.*?</table>', _page(client, w), re.S).group(0)


def test_growth_and_other_agreements_and_removing_them(app, client, w):
    login(client, w["leader"])
    response = _post(
        client,
        w,
        "/afspraken/groei",
        {
            "grow-member": w["bert_id"],
            "grow-section": w["sections"]["LG02"],
            "grow-text": "Cursus huurrecht",
        },
    )
    assert response.status_code == 302
    response = _post(
        client,
        w,
        "/afspraken/groei",
        {
            "grow-member": w["bert_id"],
            "grow-section": w["sections"]["GC"],
            "grow-text": "Geen leefgebied",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#grow-section">Kies een leefgebied.</a>' in html
    assert 'value="Geen leefgebied"' in html
    response = _post(client, w, "/afspraken/overig", {"other-text": "   "})
    assert response.status_code == 422
    assert 'href="#other-text">Beschrijf de afspraak.</a>' in response.get_data(as_text=True)
    _post(client, w, "/afspraken/overig", {"other-text": "Maandelijks casuïstiekoverleg over schulden"})
    assert _agreements(app, w["round"]) == [
        ("grow", "Bert Bakker", "LG02", "Cursus huurrecht", None),
        ("other", None, None, "Maandelijks casuïstiekoverleg over schulden", None),
    ]
    html = _page(client, w)
    growing = re.search(r'id="growing">.*?</table>', html, re.S).group(0)
    assert "Bert Bakker" in growing and "Wonen" in growing and "Cursus huurrecht" in growing
    assert "Maandelijks casuïstiekoverleg over schulden" in html
    with app.app_context():
        grow_id = db.session.scalars(select(Agreement.id).where(Agreement.kind == "grow")).one()
    response = _post(client, w, f"/afspraken/{grow_id}/verwijderen", {})
    assert response.status_code == 302
    assert [a[0] for a in _agreements(app, w["round"])] == ["other"]
    assert "Nog geen groeiafspraken." in _page(client, w)


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_team_size(app, client, w, count_queries):
    login(client, w["leader"])
    _post(client, w, "/prioriteiten/overnemen", {"item_id": w["items"]["GC01"]})
    _post(client, w, "/afspraken/overig", {"other-text": "Iets"})
    count_queries.statements.clear()
    _page(client, w)
    small = count_queries.count
    with app.app_context():
        scan_round = db.session.get(ScanRound, w["round"])
        for _n in range(6):
            member = make_user(Role.PROFESSIONAL, team=scan_round.team)
            make_scan(scan_round, member, {"GC01": (1, 3), "LG01-S1": (3, 3)}, submitted=True)
            db.session.add(
                Agreement(
                    round_id=scan_round.id,
                    kind="vraagbaak",
                    member_id=member.id,
                    section_id=w["sections"]["LG01"],
                    consent="pending",
                )
            )
        db.session.commit()
    count_queries.statements.clear()
    html = _page(client, w)
    assert "7 van 8 onder de norm" in html
    assert count_queries.count == small


def test_in_english(client, w):
    english(client)
    login(client, w["leader"])
    html = _page(client, w)
    assert "Suggested priorities" in html
    assert _suggestions(html)[0] == ("GC01", "1 of 2 below the norm; 2 of 2 want to grow")
    assert _suggestions(html)[2] == ("LG01-S1", "rests on one person")
    assert "Take over" in html

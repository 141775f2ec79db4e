"""The shared SVG charts (templates/_macros/charts.html, coverage_chart.html): they scale to their box
(a viewBox and width 100%, never a fixed pixel width) and the T-profile draws the dashed ambition
line its legend promises, on the breadth too (not only on a specialist leg)."""

import re
from decimal import Decimal

from scan.assessment.results.scores import BreadthArea, DepthArea, TProfile


def _render(app, source, **context):
    with app.test_request_context("/"):
        return app.jinja_env.from_string(source).render(**context)


def _svg_attributes(svg):
    return dict(re.findall(r'(\b[\w-]+)="([^"]*)"', re.search(r"<svg\b[^>]*>", svg).group(0)))


def _profile(depth=True):
    breadth = (
        BreadthArea("GC", "generiek", "Generiek", "Generic", 2, Decimal("2.0"), Decimal("3.0")),
        BreadthArea("LG01", "leefgebied", "Financiën", "Finances", 1, Decimal("2.0"), Decimal("2.0")),
        BreadthArea("LG02", "leefgebied", "Wonen", "Housing", 0, None, None),
    )
    legs = (DepthArea("LG01", "Financiën", "Finances", 1, Decimal("4.0"), Decimal("4.0"), True, False),)
    return TProfile(breadth, legs if depth else (), 3)


T_PROFILE = ('{% import "_macros/charts.html" as charts %}'
             '{{ charts.t_profile("t", "T", "Desc", profile, 4, '
             '{"level": "Level", "ambition": "Ambition"}) }}')


def test_the_t_profile_scales_and_draws_the_ambition_it_promises(app):
    svg = _render(app, T_PROFILE, profile=_profile(depth=False))
    attrs = _svg_attributes(svg)
    assert re.fullmatch(r"0 0 \d+(\.\d+)? \d+(\.\d+)?", attrs["viewBox"])
    assert attrs["width"] == "100%" and "height" not in attrs
    # Without any specialist leg the breadth still carries the ambition line (GC at 3.0, LG01 at 2.0;
    # LG02 has no score and no line), besides the one in the legend.
    legend = svg[svg.index('class="app-chart__legend"'):]
    drawn = re.findall(r'<line class="app-chart__ambition"[^>]*stroke-dasharray="5 3"', svg)
    assert len(drawn) == 2
    assert 'stroke-dasharray="5 3"' in legend and ">Ambition</text>" in legend
    # Each line sits at its own height: bar top 48, 60 high, scale 4 -> ambition 3 at y 63, 2 at y 78.
    ys = [float(y) for y in re.findall(r'<line class="app-chart__ambition" x1="[^"]+" y1="([^"]+)"', svg)]
    assert ys == [63.0, 78.0]


def test_a_specialist_leg_has_its_ambition_line_and_value(app):
    svg = _render(app, T_PROFILE, profile=_profile(depth=True))
    assert len(re.findall(r'<line class="app-chart__ambition"', svg)) == 3
    assert ">4,0</text>" in svg and ">LG02</text>" in svg  # Dutch by default


def test_the_bar_chart_scales_to_its_box(app):
    class G:
        label = "Generieke competenties en nog een heel lange naam van een onderdeel"
        values = (Decimal("2.0"), Decimal("3.0"))

    svg = _render(app, '{% import "_macros/charts.html" as charts %}'
                       '{{ charts.bar_chart("b", "T", "D", [("level", "Level"), ("ambition", "Ambition")], '
                       'groups, 4) }}',
                  groups=[G()])
    attrs = _svg_attributes(svg)
    assert attrs["width"] == "100%" and "height" not in attrs and attrs["viewBox"].startswith("0 0 340 ")
    assert "Level: 2,0" in svg and "Ambition: 3,0" in svg
    # A long label is shortened in the picture (the table beside it has it in full).
    assert ">Generieke competenties en nog e…</text>" in svg

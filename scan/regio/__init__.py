from flask import Blueprint

bp = Blueprint("regio", __name__, url_prefix="/regio")

from scan.regio import export_routes, heatmap, pdf_routes, routes  # noqa: E402, F401

# The heat map's SVG is drawn in Python (see scan.regio.heatmap); templates call it as heatmap_svg(id, table).
bp.add_app_template_global(heatmap.svg, "heatmap_svg")

from flask import Blueprint

bp = Blueprint("regio", __name__, url_prefix="/regio")

from scan.regio import heatmap, routes  # noqa: E402, F401
from scan.regio.exports import routes as export_routes  # noqa: E402, F401

# The heat map's SVG and its table's cells are written in Python (see scan.regio.heatmap).
bp.add_app_template_global(heatmap.svg, "heatmap_svg")
bp.add_app_template_global(heatmap.cells, "heatmap_cells")

"""The team report as a PDF download: what the teamschouw pages show, for the team leader only."""

from __future__ import annotations

from flask_babel import get_locale
from werkzeug.wrappers import Response

from scan.access import Role, require
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.core import clock
from scan.core.downloads import PDF_MIME, attachment_name_part, download
from scan.extensions import db
from scan.teamschouw import bp
from scan.teamschouw.loading import team_round
from scan.teamschouw.report.data import team_report_data
from scan.teamschouw.report.pdf import render_team_report


@bp.get("/rapport.pdf")
@require(Role.TEAMLEIDER)
def report_pdf(team_id: int, round_id: int) -> Response:
    team, scan_round = team_round(team_id, round_id)
    today = clock.today()
    data = team_report_data(team, scan_round, today)
    body = render_team_report(data, str(get_locale() or "nl")[:2])
    record(audit_actions.EXPORT, object_type="teamschouw.pdf", object_id=team.id,
           facts={"round": scan_round.id})
    db.session.commit()
    code = attachment_name_part(team.code, "team")
    return download(body, f"teamschouw-{code}-{today.isoformat()}.pdf", PDF_MIME)

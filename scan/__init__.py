"""Ontwikkelscan: the application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    from scan import config as settings

    app.config.update(settings.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = settings.engine_options(
        str(app.config["SQLALCHEMY_DATABASE_URI"]), dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}),
        float(app.config.get("DATABASE_STATEMENT_TIMEOUT_S") or 0),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from scan.regio.disclosure.suppression import check_k

    # Refuse to start with a k that would not protect anyone (below 3), rather than show small counts.
    check_k(app.config["REGIO_MIN_CELL"])

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)

    from scan.core import context, errors, logging, security

    logging.register(app)
    _warn_about_a_local_database(app)
    context.register(app)
    errors.register(app)
    security.register(app)
    return app


def _warn_about_a_local_database(app: Flask) -> None:
    """Say so at startup when production runs on a SQLite file (DATABASE_URL forgotten, most likely).

    The file belongs to this server alone: behind a load balancer each server would have its own accounts,
    sessions, throttling counters and scans. Fine for a single-server trial, never for a region.
    """
    uri = str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
    if not app.testing and app.config.get("ENV_NAME") != "development" and uri.startswith("sqlite"):
        app.logger.warning(
            "DATABASE_URL does not point at PostgreSQL: this server uses a local SQLite file (a trial on one "
            "machine only). Set DATABASE_URL to PostgreSQL before running servers behind a load balancer."
        )


def _init_extensions(app: Flask) -> None:
    # Import every feature's models so Alembic and the metadata see all tables.
    from scan import (
        i18n,
        models,  # noqa: F401
    )
    from scan.auth import login
    from scan.extensions import babel, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    csrf.init_app(app)
    login.init_app(app)
    i18n.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from scan.assessment import bp as assessment_bp
    from scan.audit import bp as audit_bp
    from scan.auth import bp as auth_bp
    from scan.beheer import bp as beheer_bp
    from scan.catalogue import bp as catalogue_bp
    from scan.core import bp as core_bp
    from scan.home import bp as home_bp
    from scan.kenniskaart import bp as kenniskaart_bp
    from scan.pop import bp as pop_bp
    from scan.privacy import bp as privacy_bp
    from scan.regio import bp as regio_bp
    from scan.teams import bp as teams_bp
    from scan.teamschouw import bp as teamschouw_bp
    from scan.teamschouw.members import bp as team_plan_bp

    for bp in (
        core_bp,
        auth_bp,
        home_bp,
        assessment_bp,
        teams_bp,
        teamschouw_bp,
        team_plan_bp,
        pop_bp,
        regio_bp,
        beheer_bp,
        privacy_bp,
        audit_bp,
        catalogue_bp,
        kenniskaart_bp,
    ):
        app.register_blueprint(bp)


def _register_cli(app: Flask) -> None:
    from scan.auth.cli import users_cli
    from scan.core.cli_util import CommandGroup
    from scan.demo.cli import demo_cli
    from scan.kenniskaart.cli import kenniskaart_cli
    from scan.organisation.cli import regions_cli, teams_cli
    from scan.privacy.cli import retention_cli
    from scan.regio.cli import regio_cli

    for group in (users_cli, demo_cli, kenniskaart_cli, regions_cli, teams_cli, retention_cli, regio_cli):
        # CommandGroup turns a database error in any of its commands into a clear message, never a traceback.
        if not isinstance(group, CommandGroup):
            raise TypeError(f"CLI group {group.name} must be declared with cls=CommandGroup")
        app.cli.add_command(group)

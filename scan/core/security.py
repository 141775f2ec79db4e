"""Security headers on every response, and no caching of personal pages."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, abort, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def _has_nul(pairs: Iterable[tuple[str, str]]) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def register(app: Flask) -> None:
    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    @app.before_request
    def refuse_nul_characters() -> None:
        # No person types a NUL character, and PostgreSQL text cannot hold one (the driver raises): a
        # request carrying one in its path, query string, form or a file name is refused whole, before any
        # view could look it up or store it.
        if "\x00" in request.path or _has_nul(request.args.items(multi=True)):
            abort(400)
        if request.method == "POST" and (
            _has_nul(request.form.items(multi=True))
            or any("\x00" in (f.filename or "") for _, f in request.files.items(multi=True))
        ):
            abort(400)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if app.config.get("HSTS"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static" and current_user and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response

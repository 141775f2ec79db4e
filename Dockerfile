# Ontwikkelscan app server: gunicorn with deploy/gunicorn.conf.py on port 8000, logs as JSON on stdout.
#
#   docker build -t ontwikkelscan .
#   # once per release, before the new version starts (not per server or worker):
#   docker run --rm -e DATABASE_URL=... -e SECRET_KEY=... ontwikkelscan flask db upgrade
#   docker run -d -p 8000:8000 -e DATABASE_URL=... -e SECRET_KEY=... -e PROXY_FIX_HOPS=1 ontwikkelscan
#
# No secret is baked in: DATABASE_URL, SECRET_KEY and every other setting come from the environment at
# run time (see "Configuration" and "Deployment (production)" in README.md).
FROM python:3.11-slim

# PYTHONPATH: the app finds its templates, migrations and translations next to the `scan` package, so the
# copy in /app is the one imported (by gunicorn, `flask` and `python` alike), not the one in site-packages.
# INSTANCE_PATH only matters for a one-machine trial without DATABASE_URL (SQLite); production uses PostgreSQL.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    FLASK_APP=wsgi \
    PYTHONPATH=/app \
    INSTANCE_PATH=/app/instance

WORKDIR /app

COPY . .
# Exactly the versions CI tested (constraints.txt), the compiled catalogs (nl, en), and a user without
# rights on the code; it may write only to the instance folder.
RUN pip install -c constraints.txt . \
    && pybabel compile -d translations \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/instance && chown app:app /app/instance

USER app
EXPOSE 8000

# The load balancer's check too: 200 when the app answers and reaches the database, else 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('GUNICORN_BIND', ':8000').rsplit(':', 1)[1]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"]

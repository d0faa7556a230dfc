"""gunicorn's settings for the portal: `gunicorn apap_portal.wsgi` reads this file.

Sync workers serve one request at a time, so a slow client must never reach them: the
proxy in front buffers request bodies and responses (README, "Slow clients"); here a
request is cut after GUNICORN_TIMEOUT seconds, and a worker is replaced after a number
of requests so that memory cannot creep.

A new worker imports every view before it takes its first request (`post_worker_init`
below), so no request waits on a worker that is still starting; and workers are replaced
every ~20,000 requests, not every 2,000 (at a few hundred requests a second, every few
seconds): `make bench-cluster` measured a p95 of 1–3 s from those restarts alone. The
application is not preloaded in the master, so that a HUP (systemctl reload) starts
workers on the new code and lets the old ones finish: a release without downtime.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5  # seconds: the proxy reuses its connections
# At a few hundred requests a second a worker lives for minutes, not seconds.
max_requests = 20000
max_requests_jitter = 2000
# Behind the TLS proxy, which sets X-Forwarded-Proto (Django reads it: settings.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Before the worker's first request: the URLconf and every view imported."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module

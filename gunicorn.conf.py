"""gunicorn's settings for the portal: `gunicorn apap_portal.wsgi` reads this file.

Sync workers serve one request at a time, so a slow client must never reach them: the
proxy in front buffers request bodies and responses (README, "Slow clients"); here a
request is cut after GUNICORN_TIMEOUT seconds, and a worker is replaced after a number
of requests so that memory cannot creep.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5  # seconds: the proxy reuses its connections
max_requests = 2000
max_requests_jitter = 200
# Behind the TLS proxy, which sets X-Forwarded-Proto (Django reads it: settings.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

"""gunicorn for one I-Prof web node: `gunicorn -c deploy/gunicorn.conf.py iprof.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), so the same file serves the
service units, the bench and a rectorat's own sizing.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: each request is a few database round-trips and a template; 2 × cores + 1
# keeps the cores busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
# A request longer than this is stuck (the slowest page, a confirmation PDF, takes well under a second).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (memory held by a large admin export is given back).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The reverse proxy is on the same host or a trusted network: it sets X-Forwarded-Proto/For.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Request line and headers are bounded here too; the body limit is the proxy's and the application's.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
preload_app = False  # each worker opens its own database connections after fork

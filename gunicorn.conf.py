"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`, behind a buffering proxy.

Workers share nothing but the database and Redis (rate limits); staff sessions are rows in the database.

A gthread worker gives each connection a thread from the moment its first bytes arrive until its headers are
complete, so a client that sends its headers slowly holds a thread. The proxy in front (nginx, a load
balancer) buffers whole requests, so slow clients never reach gunicorn; as a second line, each worker has
enough threads (THREADS, 32 by default) that 20 slow-header clients on 2 workers leave /healthz answering, and
request lines and headers are kept short. tests/test_slow_clients.py proves it.
"""

import multiprocessing
import os

from signpost.platform.config import env_flag

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "32"))  # waiting threads are cheap; each slow client holds one
timeout = 30
graceful_timeout = 20
keepalive = 5
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
max_requests = 2000
max_requests_jitter = 200
preload_app = True
# X-Forwarded-* headers are trusted only behind a proxy (BEHIND_PROXY), and then only from its address;
# otherwise anyone reaching gunicorn could claim https or another client address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1") if env_flag("BEHIND_PROXY", False) else ""
accesslog = "-"
logger_class = "signpost.platform.serving.RedactingLogger"  # survey tokens masked, client addresses cut to a network
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'  # path only: queries may hold personal details
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")

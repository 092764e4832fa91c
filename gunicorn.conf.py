"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Workers share nothing but PostgreSQL and Redis (rate limits); sessions are signed cookies.
"""

import multiprocessing
import os

from signpost.config import env_flag

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
preload_app = True
# X-Forwarded-* headers are trusted only behind a proxy (BEHIND_PROXY), and then only from its address;
# otherwise anyone reaching gunicorn could claim https or another client address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1") if env_flag("BEHIND_PROXY", False) else ""
accesslog = "-"
logger_class = "signpost.serving.RedactingLogger"  # survey tokens masked, client addresses cut to a network
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'  # path only: queries may hold personal details
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")

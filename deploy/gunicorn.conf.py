"""gunicorn settings for the web service (deploy/ubdt-web.service).

Everything an administrator may tune comes from the environment file, so an update of
the code never overwrites local choices. gunicorn listens on loopback only: nginx
terminates TLS in front of it and forwards X-Forwarded-Proto (deploy/nginx-ubdt.conf)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Trust X-Forwarded-* only from the local proxy.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Restart workers now and then, so a slow leak in a library cannot grow for months.
max_requests = 2000
max_requests_jitter = 200

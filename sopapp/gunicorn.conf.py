"""gunicorn settings: ``gunicorn -c sopapp/gunicorn.conf.py sopapp.wsgi:application``.

Environment: SOPAPP_BIND (default 127.0.0.1:8000: behind a reverse proxy on the same
machine), SOPAPP_WEB_WORKERS (default 2 × CPUs + 1), SOPAPP_FORWARDED_ALLOW_IPS (proxies
whose X-Forwarded-* headers gunicorn trusts; default 127.0.0.1).
"""

import multiprocessing
import os

bind = os.environ.get("SOPAPP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SOPAPP_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Uploads are buffered by the reverse proxy; a request that hangs this long is a fault.
timeout = 60
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("SOPAPP_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("SOPAPP_ACCESS_LOG", "-")
errorlog = "-"
# Load the application once in the master: workers fork from it (faster start, less memory).
preload_app = True
# gunicorn's control socket ($HOME/.gunicorn/gunicorn.ctl) is not used, and two servers on one
# machine (a node and `make serve`, or the two nodes of the scale test) would share its path.
control_socket_disable = True

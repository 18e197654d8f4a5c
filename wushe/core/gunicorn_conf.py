"""gunicorn settings for a wushe deployment (``gunicorn -c wushe/core/gunicorn_conf.py …``;
``wushe demo`` passes it): the access and error logs go through Python logging with the
identifier mask of wushe/core/logmask.py on every handler, and the access line carries the path
without its query string, nor the referrer (whose query string could hold a search)."""

from __future__ import annotations

from typing import Any

# %(U)s is the path without the query string; no %(f)s (referer).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
accesslog = "-"

logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_identifiers": {"()": "wushe.core.logmask.MaskIdentifiers"}},
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
                    "datefmt": "[%Y-%m-%d %H:%M:%S %z]"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "generic",
                          "stream": "ext://sys.stderr", "filters": ["mask_identifiers"]},
        "console": {"class": "logging.StreamHandler", "formatter": "access",
                    "stream": "ext://sys.stdout", "filters": ["mask_identifiers"]},
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
    "root": {"level": "WARNING", "handlers": ["error_console"]},
}

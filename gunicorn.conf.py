"""gunicorn's settings, read from the working directory by ``./yv start`` (and by any
gunicorn started here): Prometheus' multiprocess folder, and JSON logs with LOG_FORMAT=json.

- Every worker writes its request-latency samples under ``PROMETHEUS_MULTIPROC_DIR``
  (``.local/metrics/`` unless set), emptied when gunicorn starts and cleaned of a worker that
  exits, so ``/metrics`` adds up every worker's and no dead one's (``core.monitoring``).
- With ``LOG_FORMAT=json`` gunicorn's own lines are JSON too, and its access log is off: the
  platform logs every request itself with its id, committee and user (``core.middleware``).
"""

import os
from pathlib import Path

_folder = Path(
    os.environ.get("PROMETHEUS_MULTIPROC_DIR") or Path(__file__).parent / ".local" / "metrics"
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_folder)


def on_starting(server):
    _folder.mkdir(parents=True, exist_ok=True)
    for stale in _folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": ["json"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
    }

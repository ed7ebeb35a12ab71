"""The test suite: its own embedded servers (profile ``test``) unless the URLs are given."""

import os

os.environ.setdefault("YV_PROFILE", "test")

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = "core.sms.ConsoleBackend"
# Parallel test workers share one Redis: keep their cache keys and queues apart.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
CACHES["default"]["KEY_PREFIX"] = f"yvtest-{os.getpid()}-{_worker}"  # noqa: F405
# A Celery worker started by a test is handed the queue (and test database) by environment.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE") or f"test-{os.getpid()}-{_worker}"
if os.environ.get("DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["DATABASE_NAME"]  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Uploads of each test process apart from the others' (removed when the session ends).
MEDIA_ROOT = BASE_DIR / ".local" / "test-media" / f"{os.getpid()}-{_worker}"  # noqa: F405
PRIVATE_MEDIA_ROOT = MEDIA_ROOT / ".." / f"{os.getpid()}-{_worker}-private"
# Static files straight from the apps' folders: the tests run no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

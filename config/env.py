"""Reading the environment, and finding the database and Redis servers."""

import os
import secrets
from pathlib import Path

# Data kept on this machine (embedded servers, the generated secret key): git-ignored.
LOCAL_DIR = Path(
    os.environ.get("YV_LOCAL_DIR") or Path(__file__).resolve().parent.parent / ".local"
)


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def server_urls(profile: str) -> tuple[str, str]:
    """``DATABASE_URL`` and ``REDIS_URL`` from the environment, else the embedded servers'.

    The embedded servers are started on first need and written back to the environment, so
    that processes started from this one (web, worker, beat, test workers) find the same ones.
    """
    database_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    if not (database_url and redis_url):
        from config import embedded

        servers = embedded.start(profile)
        database_url = database_url or servers.database_url
        redis_url = redis_url or servers.redis_url
        os.environ["DATABASE_URL"] = database_url
        os.environ["REDIS_URL"] = redis_url
    return database_url, redis_url


def local_secret_key() -> str:
    """``SECRET_KEY`` from the environment, else one generated on first use and kept in
    ``.local/secret_key`` (readable by its owner only), so sessions and tokens survive a
    restart and every process started from here signs alike."""
    given = os.environ.get("SECRET_KEY", "").strip()
    if given:
        return given
    path = LOCAL_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()

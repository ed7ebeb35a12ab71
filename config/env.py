"""Reading the environment, and finding the database and Redis servers."""

import os


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

"""``./yv start``: the platform as shipped, on one machine, production-shaped.

DEBUG is off (branded error pages, the one JSON error shape, nothing of settings, paths or
tracebacks), static files are the collected, hashed ones served by WhiteNoise, and the secret
key is ``SECRET_KEY`` or one generated once under ``.local/``. ``YV_DEBUG=1`` (or ``./yv dev``)
turns Django's debug pages on for a developer. Behind a TLS proxy use ``config.settings.prod``.
"""

import os

from config.env import env_bool, local_secret_key

# Before the base settings read it (the token signing key is derived from it too).
os.environ["SECRET_KEY"] = local_secret_key()

from .base import *  # noqa: E402, F403

DEBUG = env_bool("YV_DEBUG", False)

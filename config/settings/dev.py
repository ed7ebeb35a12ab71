"""The platform as a developer runs it: debug pages on."""

from .base import *  # noqa: F403

DEBUG = True

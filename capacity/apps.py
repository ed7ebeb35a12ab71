from django.apps import AppConfig


class CapacityConfig(AppConfig):
    """Places taken under concurrency, and the waitlists for them (one mechanism for every
    domain that books: youth homes' slots, activities' registrations)."""

    name = "capacity"
    verbose_name = "Capacity"

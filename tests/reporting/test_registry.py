"""The metrics registry and the timeline seam: a metric is one declaration in its domain (plus
the migration adding its column), and reporting knows no domain's tables."""

import contextlib
import re
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django_tenants.utils import schema_context

from reporting import metrics, shipping
from reporting.models import DailyFigures
from reporting.selectors import Period, figures_from_schemas

from .helpers import answer, ask, figures, schema, snapshot

REPORTING = Path(metrics.__file__).resolve().parent


@contextlib.contextmanager
def declared(count: metrics.Count):
    """``count`` declared as a domain would, with its column added as its migration would;
    both undone afterwards (the column with the test's transaction)."""
    metrics.declare(count)
    field = models.PositiveIntegerField(default=0)
    DailyFigures.add_to_class(count.column, field)
    with connection.schema_editor() as editor:
        editor.add_field(DailyFigures, field)
    try:
        yield
    finally:
        metrics.COUNTS.remove(count)
        metrics.COLUMNS.remove(count.column)
        metrics._BY_KIND[count.kind].remove(count)
        DailyFigures._meta.local_fields.remove(field)
        DailyFigures._meta._expire_cache()
        delattr(DailyFigures, count.column)


def test_a_metric_declared_once_is_shipped_rebuilt_and_verified(tree):
    # Answers by League cadres after the first: counted nowhere until declared.
    later = metrics.Count("answered_again", "qa.answered", unless={"first": True})
    question = ask("gd", tree["youth"])
    for body in ("先去团支部问问。", "团支部可以补办。", "已经帮你联系了。"):
        answer("gd", question, tree["gd_cadre"], body=body)
    with declared(later):
        assert shipping.ship_all() == 4
        assert figures(tree.gd, subtree=False)["answered_again"] == 2
        assert figures(tree.central, subtree=True)["answered_again"] == 2
        shipped = snapshot()
        shipping.rebuild()
        assert snapshot() == shipped
        today = timezone.localdate()
        period = Period(start=today - timedelta(days=1), end=today, category=None)
        checked = figures_from_schemas(tree.central, period)
        assert checked["answered_again"] == 2 and checked["answered"] == 1
    assert "answered_again" not in metrics.COLUMNS


def test_a_declaration_counts_in_python_what_it_counts_in_sql(tree):
    """Each declared count gives the same number from the events (shipping) as from its own
    SQL (the verification), over events that do and do not match each condition."""
    question = ask("gd", tree["youth"])
    with schema_context(schema("gd")):
        from qa import services

        for stars, staff in ((5, False), (3, False), (4, True)):
            services.record(question, "qa.rated", stars=stars, staff=staff)
        services.record(question, "qa.answered", first=True, by="cadre", response_s=30)
        services.record(question, "qa.answered", by="expert")
    shipping.ship_all()
    today = timezone.localdate()
    checked = figures_from_schemas(tree.gd, Period(start=today, end=today, category=None))
    shipped = figures(tree.gd, subtree=False)
    assert {c: shipped[c] for c in checked} == checked
    assert (checked["ratings"], checked["rating_stars"], checked["ratings_high"]) == (2, 8, 1)
    assert (checked["answered"], checked["answered_by_league"]) == (1, 1)


def test_reporting_names_no_domain_table_or_model():
    """Of the committees' apps, reporting reads only the timeline: no other one's tables,
    models or modules (``qa_question``, ``from qa…``)."""
    domains = [apps.get_app_config(name) for name in settings.TENANT_APPS if name != "timeline"]
    names = [rf"\b{re.escape(model._meta.db_table)}\b" for d in domains for model in d.get_models()]
    names += [rf"\b(from|import) {d.name}\b" for d in domains]
    mentioned = re.compile("|".join(names))
    assert mentioned.search("JOIN qa_question q") and mentioned.search("from qa.models import")
    for path in REPORTING.rglob("*.py"):
        if "migrations" not in path.parts:
            assert not mentioned.search(path.read_text(encoding="utf-8")), path


def test_every_question_metric_is_declared_by_the_question_loop():
    declared_by_qa = {c.column for c in metrics.COUNTS if c.kind.startswith("qa.")}
    assert {"asked", "answered", "solved", "ratings", "deflected"} <= declared_by_qa
    assert metrics.COLUMNS[-1] == "visits"

"""Test set-up: a real PostgreSQL and Redis (embedded unless DATABASE_URL/REDIS_URL are set),
the tenant template migrated once per test database, and a small committee tree per test."""

import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from core.models import User
from franchise import calendar, classifier, holidays, standards, synonyms
from franchise.models import (
    AssessmentStandard,
    CalendarDay,
    Category,
    ClassifierModel,
    HomeStandard,
    IndexStandard,
    ScoreStandard,
    SensitiveTerm,
    SynonymList,
)
from similarity import service as similarity
from tenants import schema
from tenants.models import Committee

from . import factories

_model: dict = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        schema.migrate_template()
        # One trained model for every test that classifies.
        stored = classifier.retrain()
        _model.update(blob=bytes(stored.blob), examples=stored.examples)


_DATABASE_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences", "live_server")


@pytest.fixture(autouse=True)
def _standards(request, django_db_blocker):
    """A transactional test ends with a flush that empties every public table, the seeded
    standards and the stored model included: put them back for the next test. A test without
    the database sets nothing up (a run of such tests alone creates no test database)."""
    if not request.node.get_closest_marker("django_db") and not any(
        name in request.fixturenames for name in _DATABASE_FIXTURES
    ):
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        if not Category.objects.exists():
            standards.install(Category, SensitiveTerm)
            standards.install_index_standard(IndexStandard)
        if not SynonymList.objects.exists():
            standards.install_synonyms(SynonymList)
        if not HomeStandard.objects.exists():
            standards.install_home_standard(HomeStandard)
        if not ScoreStandard.objects.exists():
            standards.install_score_standard(ScoreStandard)
        if not AssessmentStandard.objects.exists():
            standards.install_assessment_standard(AssessmentStandard)
        if not ClassifierModel.objects.exists():
            ClassifierModel.objects.create(**_model)
        if not CalendarDay.objects.exists():
            holidays.install(CalendarDay)


@pytest.fixture(scope="session", autouse=True)
def _own_media_folder():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _public_schema():
    """Every test starts, and leaves, on the public schema, and reads the synonym list, the
    working calendar and the similarity service's word counts afresh (a rolled-back test's
    are not in force in the next)."""
    connection.set_schema_to_public()
    synonyms.lists.forget()
    calendar.central_cache.forget()
    similarity.forget()
    yield
    connection.set_schema_to_public()


@dataclass
class Tree:
    central: Committee
    gd: Committee
    gz: Committee
    bj: Committee
    people: dict[str, User]

    def __getitem__(self, key: str) -> User:
        return self.people[key]


def build_tree() -> Tree:
    central = factories.committee("central", level="central")
    gd = factories.committee(
        "gd",
        level="province",
        parent=central,
        display_name="青年之声 · 广东",
        primary_colour="#0a6ebd",
        slogan="青春广东",
    )
    gz = factories.committee("gd-gz", level="city", parent=gd)
    bj = factories.committee("bj", level="province", parent=central)
    people = {
        "youth": factories.account(name="小青"),
        "central_admin": factories.staff(central, "admin"),
        "auditor": factories.staff(central, "auditor"),
        "gd_admin": factories.staff(gd, "admin"),
        "gd_cadre": factories.staff(gd, "cadre"),
        "gd_expert": factories.staff(gd, "expert"),
        "gd_org": factories.staff(gd, "org_member"),
        "gz_cadre": factories.staff(gz, "cadre"),
        "bj_admin": factories.staff(bj, "admin"),
        "bj_cadre": factories.staff(bj, "cadre"),
    }
    return Tree(central=central, gd=gd, gz=gz, bj=bj, people=people)


@pytest.fixture
def tree(db) -> Tree:
    """central → gd → gd-gz, and bj, with an account for every role; rolled back after."""
    return build_tree()


@pytest.fixture
def committed_tree(transactional_db):
    """central, gd (with Guangdong's branding) and bj, committed so that other processes and
    threads (a Celery worker, the live server) see them; their schemas are dropped after."""
    from tenants import services

    made = [factories.committee("central", level="central")]
    try:
        made.append(
            factories.committee(
                "gd",
                level="province",
                parent=made[0],
                display_name="青年之声 · 广东",
                primary_colour="#0a6ebd",
                slogan="青春广东，团团为你",
            )
        )
        made.append(factories.committee("bj", level="province", parent=made[0]))
        yield {c.code: c for c in made}
    finally:
        for committee in reversed(made):
            services.remove_committee(committee=committee)


def host(code: str | None) -> str:
    return f"{code}.localhost" if code else "localhost"


@pytest.fixture
def api():
    """``api(code, user=None)``: a DRF client on that committee's domain (None: the console)."""

    def make(code: str | None, user: User | None = None) -> APIClient:
        client = APIClient(HTTP_HOST=host(code))
        if user is not None:
            token = RefreshToken.for_user(user).access_token
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


@pytest.fixture
def web(client):
    """``web(code, user=None)``: a Django test client on that domain, logged in by session."""
    from django.test import Client

    def make(code: str | None, user: User | None = None) -> Client:
        browser = Client(HTTP_HOST=host(code))
        if user is not None:
            browser.force_login(user)
        return browser

    return make

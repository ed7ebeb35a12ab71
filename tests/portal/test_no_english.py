"""No English in zh-hans: every page of a portal and of the console (enumerated from the URL
patterns, so a new page is walked too), as a youth, a committee's staff and the central
admin, shows no Latin word outside a short allow-list."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import registration as activity_registration
from activities import voting
from casework import cases
from casework.models import LocalCategory, LocalTerm
from franchise import campaigns
from franchise.models import HomeListing
from helpcases import services as help_services
from homes import referrals, standard
from homes import services as home_services
from portal.models import Notice
from qa import services
from reporting import standing
from reporting.models import StandardScore
from shares import services as shares
from surveys import services as survey_services
from tests import factories
from tests.qa.helpers import alliance

# Words that are names in their own right, not English (file formats, the API itself) and
# the language switch, which names English in English.
ALLOWED = {"API", "QQ", "CSV", "XLSX", "PNG", "JPEG", "GIF", "WebP", "SVG", "MB", "KB", "English"}
# The audit log's technical lines: the request's method.
ALLOWED |= {"GET", "POST", "PUT", "PATCH", "DELETE"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Host names, addresses and e-mail addresses are not words.
NOT_WORDS = re.compile(
    r"(?:https?://|//)\S+|[\w.+-]+@[\w.-]+|(?:[\w-]+\.)+(?:localhost|com|cn|org|net)(?::\d+)?\S*"
    r"|(?<![\w])/[\w/.-]+/"  # a path, as the audit log shows it
)
VISIBLE_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label"}
# Pages that are not HTML for people: files, feeds, machine answers, the API, Django's admin
# (the operators' tool), posts only.
NOT_PAGES = {
    "api",
    "api-schema",
    "api-docs",
    "healthz",
    "healthz-live",
    "healthz-ready",
    "captcha-image",
    "media",
    "set_language",
    "favicon",
    "favicon-ico",
    "manifest",
    "logout",
    "attachment",
    "export",
}


class _Text(HTMLParser):
    """The text a person sees: element text (not script or style) and labelling attributes,
    button values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        values = dict(attrs)
        for name in VISIBLE_ATTRIBUTES & values.keys():
            self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def latin_words(html: str, names: frozenset[str] = frozenset()) -> set[str]:
    """Latin words of the page's visible text, leaving out the allowed ones and ``names``
    (codes people gave: a committee's, which is its subdomain, a local category's)."""
    parser = _Text()
    parser.feed(html)
    text = NOT_WORDS.sub(" ", " ".join(parser.parts))
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED | names}


def given_codes() -> frozenset[str]:
    """Codes and words people gave: committees' and local categories' codes, and the words
    of the central synonym list (offer, hr … are words youths write, shown as data)."""
    from franchise.synonyms import thesaurus_for
    from tenants.models import Committee

    codes = list(Committee.objects.values_list("code", flat=True))
    with schema_context("gd"):
        codes += LocalCategory.objects.values_list("code", flat=True)
    words = {
        latin
        for group in thesaurus_for(None).groups
        for word in group
        for latin in LATIN_WORD.findall(word)
    }
    return frozenset(part for code in codes for part in code.split("-")) | words


def _patterns(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from _patterns(entry, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or "", namespace


def pages(urlconf: str):
    """(route, name) of every page the urlconf serves, the API and non-pages left out."""
    for route, name, namespace in _patterns(get_resolver(urlconf)):
        if name in NOT_PAGES or namespace.split(":")[0] == "api":
            continue
        if route.startswith(("admin/", "api/", "media/")):
            continue
        yield route, f"{namespace}:{name}" if namespace else name


def test_latin_words_are_found_outside_the_allow_list():
    html = (
        '<p>提问 Submit</p><input placeholder="Search"><script>var x = "hidden";</script>'
        '<a href="/x">gd.localhost:8000</a> API CSV <img alt="Logo"> http://gd.localhost/'
        ' a@b.cn <button aria-label="Log out"></button><input type="submit" value="Save">'
        " GET /workbench/setup/ study"
    )
    assert latin_words(html) == {"Submit", "Search", "Logo", "Log", "out", "Save", "study"}
    assert latin_words("<p>gd-jobs</p>", frozenset({"gd", "jobs"})) == set()
    assert latin_words("<p>青年之声 · 广东</p><p>2026-03-01 13****5678</p>") == set()


@pytest.fixture
def world(tree):
    """Something on every page: an alliance and its rules, answered, open and held questions,
    a notice, local categories and terms, a supervision item; people named in Chinese."""
    for n, user in enumerate(tree.people.values()):
        user.name = f"用户{'甲乙丙丁戊己庚辛壬癸'[n]}"
        user.save(update_fields=["name"])
    team = alliance("gd", tree["gd_expert"], category="career", supervisor=tree["gd_cadre"])
    with schema_context("gd"):
        LocalCategory.objects.create(code="gd-jobs", name="广东就业", standard_id="career")
        LocalTerm.objects.create(term="违禁词")
        answered = services.ask_question(
            asker=tree["youth"], title="实习工资拖欠怎么办", body="两个月没发", category="career"
        )
        services.answer(question=answered, author=tree["gd_expert"], body="向劳动监察投诉。")
        services.rate(question=answered, rater=tree["youth"], stars=4)
        waiting = services.ask_question(
            asker=tree["youth"], title="考研还是工作", category="career"
        )
        services.ask_question(asker=tree["youth"], title="这里有违禁词", category="career")
        notice = Notice.objects.create(
            author=tree["gd_cadre"],
            title="团课通知",
            body="周五开课",
            is_published=True,
            published_at=timezone.now(),
        )
        case = help_services.submit(
            youth=tree["youth"],
            title="公司拖欠工资",
            body="三个月没发",
            category="rights",
            is_public=True,
        )
        help_services.start_verifying(case=case, actor=tree["gd_admin"])
    slot = factories.youth_home("gd", places=2)
    full = factories.youth_home("gd", name="越秀青年之家", places=1, taken=1)
    with schema_context("gd"):
        home_services.book(slot=slot, youth=tree["youth"], places=2)
        home_services.join_waitlist(slot=full, youth=tree["youth"])
        home = slot.service.home
        home_services.add_service(home=home, name="就业指导", category="career")
        referral = referrals.refer(
            cases.of("qa.question"),
            waiting,
            actor=tree["gd_cadre"],
            listing=HomeListing.objects.get(home_id=full.service.home_id, committee__code="gd"),
        )
        standard.record(
            home=home,
            item="sign",
            is_met=True,
            evidence="入口有标识牌",
            observed_on=timezone.localdate(),
            actor=tree["gd_admin"],
        )
    activity = factories.activity("gd", tree["gd_cadre"], allows_teams=True)
    with schema_context("gd"):
        activity_registration.register(activity=activity, youth=tree["youth"])
        squad = activity_registration.form_team(
            activity=activity, captain=tree["gd_expert"], name="先锋队"
        )
    with schema_context("gd"):
        ballot = voting.open_ballot(
            activity=activity,
            actor=tree["gd_cadre"],
            title="最佳创意",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=3),
            panel_weight=0.4,
            vote_weight=0.6,
            criteria=[{"code": "idea", "name": "创意", "weight": 1}],
        )
        voting.submit_entry(ballot=ballot, by=tree["gd_cadre"], title="旧物改造")
    campaign = campaigns.launch(
        actor=tree["central_admin"],
        node=tree.central,
        code="qingchun",
        title="青春志愿行",
        theme="志愿服务",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    with schema_context("gd"):
        survey = survey_services.publish(
            actor=tree["gd_cadre"],
            title="活动需求调查",
            opens_at=timezone.now() - timedelta(minutes=1),
            closes_at=timezone.now() + timedelta(days=7),
            questions=[
                {"kind": "single", "text": "最想参加哪类活动", "options": ["志愿", "体育"]},
                {"kind": "scale", "text": "满意度"},
                {"kind": "text", "text": "建议", "is_required": False},
            ],
        )
        survey_services.respond(
            survey=survey, youth=tree["youth"], answers={"1": 0, "2": 4, "3": "多办就业活动"}
        )
    with schema_context("gd"):
        share = shares.link_for(activity, tree["youth"])
    standing.recompute()
    return {
        "score": StandardScore.objects.get(kind="account").pk,
        "share": share.token,
        "survey": survey.pk,
        "campaign": campaign.code,
        "activity": activity.pk,
        "ballot": ballot.pk,
        "activity_team": squad.token,
        "referral": referral.pk,
        "question": waiting.pk,
        "answered": answered.pk,
        "notice": notice.pk,
        "team": team,
        "case": case.pk,
        "home": slot.service.home_id,
    }


def _fill(route: str, name: str, world) -> str | None:
    """The route with its parameters filled, or None for a route the walk does not know
    (which fails the test: add the new page here)."""
    values = {
        "portal:notice": {"pk": world["notice"]},
        "qa:question": {"pk": world["answered"]},
        "qa:handle": {"pk": world["question"]},
        "helpcases:case": {"pk": world["case"]},
        "helpcases:handle": {"pk": world["case"]},
        "helpcases:from-question": {"pk": world["question"]},
        "homes:home": {"pk": world["home"]},
        "homes:door": {"pk": world["home"]},
        "homes:setup": {"pk": world["home"]},
        "homes:standard": {"pk": world["home"]},
        "homes:referrals": {"pk": world["home"]},
        "homes:referral": {"pk": world["referral"]},
        "homes:arrive": {"pk": world["home"]},
        "homes:refer": {"subject": "qa.question", "pk": world["question"]},
        "activities:activity": {"pk": world["activity"]},
        "activities:manage": {"pk": world["activity"]},
        "activities:venue": {"pk": world["activity"]},
        "activities:team": {"token": world["activity_team"]},
        "activities:ballot": {"pk": world["ballot"]},
        "activities:ballot-review": {"pk": world["ballot"]},
        "tenants:detail": {"code": "gd"},
        "reporting:campaign": {"code": world["campaign"]},
        "surveys:survey": {"pk": world["survey"]},
        "shares:opened": {"token": world["share"]},
        "activities:poster": {"pk": world["activity"]},
        "surveys:results": {"pk": world["survey"]},
        "surveys:export": {"pk": world["survey"], "fmt": "csv"},
        "reporting:standing-detail": {"pk": world["score"]},
        "reporting:assessment-file": {"fmt": "xlsx"},
    }
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not params:
        return "/" + route
    if name not in values:
        return None
    path = route
    for param in params:
        path = re.sub(rf"<(?:\w+:)?{param}>", str(values[name][param]), path)
    return "/" + path


WALKERS = ["youth", "gd_admin", "gd_expert", "central_admin", None]


@pytest.mark.parametrize(
    ("urlconf", "code"), [("config.urls_tenant", "gd"), ("config.urls_public", None)]
)
def test_no_page_shows_english_in_zh_hans(tree, world, web, urlconf, code):
    walked, unknown, found = 0, [], {}
    routes = list(pages(urlconf))
    names = given_codes()
    assert len(routes) > 5
    for who in WALKERS:
        browser = web(code, None if who is None else tree[who])
        browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
        for route, name in routes:
            path = _fill(route, name, world)
            if path is None:
                unknown.append(name)
                continue
            response = browser.get(path)
            if response.status_code in (301, 302):
                continue
            assert response.status_code < 500, (who, path)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            walked += 1
            words = latin_words(response.content.decode(), names)
            if words:
                found[f"{who} {path}"] = sorted(words)
    assert not unknown, f"pages the walk cannot fill in: {sorted(set(unknown))}"
    assert walked >= len(routes)
    assert not found, "\n".join(f"{page}: {words}" for page, words in sorted(found.items()))


def test_labels_and_messages_behind_the_pages_are_chinese(tree):
    """What the walk cannot reach by a GET: every model choice (roles, states, kinds, levels),
    every form's labels, and the password validators' rules and refusals."""
    from django import forms
    from django.apps import apps
    from django.contrib.auth.password_validation import (
        password_validators_help_texts,
        validate_password,
    )
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from core import forms as core_forms
    from franchise.models import Category
    from portal import forms as portal_forms
    from qa import forms as qa_forms
    from tenants import forms as tenant_forms

    english: dict[str, set[str]] = {}
    names = given_codes()  # the onboarding form's example is a committee's code

    def check(where: str, text) -> None:
        words = {w for w in LATIN_WORD.findall(str(text)) if w not in ALLOWED | names}
        if words:
            english.setdefault(where, set()).update(words)

    with translation.override("zh-hans"), schema_context("gd"):
        for model in apps.get_models():
            if model._meta.app_label not in {"core", "tenants", "portal", "qa", "ratings"}:
                continue
            for field in model._meta.get_fields():
                if not getattr(field, "choices", None):
                    continue  # no fixed choices (a relation's are rows)
                for _value, label in field.flatchoices:
                    check(f"{model.__name__}.{field.name}", label)
        for module in (core_forms, portal_forms, qa_forms, tenant_forms):
            for name in dir(module):
                form = getattr(module, name)
                if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
                    continue
                if form.__module__ != module.__name__:
                    continue
                try:
                    fields = form().fields
                except TypeError:
                    continue  # a form that needs arguments: its fields are checked as rendered
                for field_name, field in fields.items():
                    check(f"{name}.{field_name}", field.label or "")
                    check(f"{name}.{field_name}", field.help_text or "")
        for category in Category.objects.all():
            check("category", category.name)
        for text in password_validators_help_texts():
            check("password rule", text)
        for weak in ("123", "13812345678", "password"):
            try:
                validate_password(weak)
            except ValidationError as refusal:
                for message in refusal.messages:
                    check("password refusal", message)
    assert not english, english

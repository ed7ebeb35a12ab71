"""What a survey's questions may be, and what an answer to each is, checked: the one place
both the survey's author and the respondent are held to."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import ServiceError

from .models import Question

Kind = Question.Kind
QUESTIONS_MAX = 60
OPTIONS_MAX = 30


def checked_questions(questions) -> list[dict]:
    """Questions as given (``kind``, ``text``, ``is_required``, ``options``, ``rows``,
    ``scale_max``, ``shown_if``), checked; positions from 1 in order."""
    if not isinstance(questions, list | tuple) or not 1 <= len(questions) <= QUESTIONS_MAX:
        raise ServiceError("invalid", _("A survey has 1 to 60 questions."), field="questions")
    checked: list[dict] = []
    for position, given in enumerate(questions, start=1):
        given = given if isinstance(given, dict) else {}
        kind = given.get("kind")
        text = str(given.get("text", "")).strip()
        if kind not in Kind.values or not text or len(text) > 300:
            raise ServiceError(
                "invalid",
                _("Question %(n)s needs a kind and a text.") % {"n": position},
                field="questions",
            )
        options = [str(o).strip()[:100] for o in given.get("options") or [] if str(o).strip()]
        rows = [str(r).strip()[:100] for r in given.get("rows") or [] if str(r).strip()]
        if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING, Kind.MATRIX) and not (
            2 <= len(options) <= OPTIONS_MAX
        ):
            raise ServiceError(
                "invalid",
                _("Question %(n)s needs 2 to 30 options.") % {"n": position},
                field="questions",
            )
        if kind == Kind.MATRIX and not 1 <= len(rows) <= OPTIONS_MAX:
            raise ServiceError(
                "invalid", _("Question %(n)s needs its rows.") % {"n": position}, field="questions"
            )
        scale_max = given.get("scale_max", 5)
        if kind == Kind.SCALE and (not isinstance(scale_max, int) or not 2 <= scale_max <= 10):
            raise ServiceError(
                "invalid",
                _("Question %(n)s: a scale of 2 to 10 points.") % {"n": position},
                field="questions",
            )
        shown_if = given.get("shown_if") or {}
        if shown_if:
            earlier = shown_if.get("question")
            if (
                not isinstance(earlier, int)
                or not 1 <= earlier < position
                or checked[earlier - 1]["kind"] not in (Kind.SINGLE, Kind.MULTIPLE)
                or not isinstance(shown_if.get("option"), int)
                or not 0 <= shown_if["option"] < len(checked[earlier - 1]["options"])
            ):
                raise ServiceError(
                    "invalid",
                    _("Question %(n)s: a condition names an earlier choice question's option.")
                    % {"n": position},
                    field="questions",
                )
            shown_if = {"question": earlier, "option": shown_if["option"]}
        checked.append(
            {
                "position": position,
                "kind": kind,
                "text": text,
                "is_required": bool(given.get("is_required", True)),
                "options": options if kind != Kind.TEXT and kind != Kind.SCALE else [],
                "rows": rows if kind == Kind.MATRIX else [],
                "scale_max": scale_max if kind == Kind.SCALE else 5,
                "shown_if": shown_if,
            }
        )
    return checked


def _refused(question: Question, message) -> ServiceError:
    return ServiceError(
        "invalid_answer",
        _("Question %(n)s: %(why)s") % {"n": question.position, "why": message},
        field=f"q{question.position}",
    )


def is_shown(question: Question, chosen: dict[int, set[int]]) -> bool:
    """Whether the question is shown, given the options chosen so far (by position)."""
    condition = question.shown_if or {}
    if not condition:
        return True
    return condition["option"] in chosen.get(condition["question"], set())


def checked_answer(question: Question, value) -> list[dict]:
    """The answer rows for ``value`` given to ``question`` (none when unanswered)."""
    blank = value is None or value == "" or value == [] or value == {}
    if blank:
        if question.is_required:
            raise _refused(question, _("this question must be answered."))
        return []
    n = len(question.options)
    if question.kind == Kind.SINGLE:
        if not _index(value, n):
            raise _refused(question, _("choose one option."))
        return [{"option": int(value)}]
    if question.kind == Kind.MULTIPLE:
        if not isinstance(value, list) or not all(_index(v, n) for v in value):
            raise _refused(question, _("choose among the options."))
        return [{"option": int(v)} for v in sorted(set(map(int, value)))]
    if question.kind == Kind.SCALE:
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not 1 <= value <= question.scale_max
        ):
            raise _refused(question, _("give a point on the scale."))
        return [{"value": value}]
    if question.kind == Kind.RANKING:
        if (
            not isinstance(value, list)
            or not all(_index(v, n) for v in value)
            or sorted(value) != list(range(n))
        ):
            raise _refused(question, _("rank every option once."))
        return [
            {"option": int(option), "value": rank} for rank, option in enumerate(value, start=1)
        ]
    if question.kind == Kind.MATRIX:
        rows = len(question.rows)
        if not isinstance(value, dict) or not all(
            str(k).isascii() and str(k).isdecimal() and int(k) < rows and _index(v, n)
            for k, v in value.items()
        ):
            raise _refused(question, _("choose one column a row."))
        chosen = {int(k): int(v) for k, v in value.items()}
        if len(chosen) != len(value):  # "0" and "00" are one row
            raise _refused(question, _("choose one column a row."))
        if question.is_required and len(chosen) < rows:
            raise _refused(question, _("answer every row."))
        return [{"row": row, "option": option} for row, option in sorted(chosen.items())]
    text = str(value).strip()
    if len(text) > 2000:
        raise _refused(question, _("keep it under 2,000 characters."))
    return [{"text": text}] if text else []


def _index(value, n: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < n

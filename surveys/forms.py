import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question

KINDS = {
    "单选": Question.Kind.SINGLE,
    "多选": Question.Kind.MULTIPLE,
    "评分": Question.Kind.SCALE,
    "排序": Question.Kind.RANKING,
    "填空": Question.Kind.TEXT,
    "矩阵": Question.Kind.MATRIX,
}


def _when(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class SurveyForm(forms.Form):
    """A survey written as text: a question a line, ``题型 题目 | 选项；选项``; ``*`` after
    the kind makes it optional, ``| 行；行`` gives a matrix its rows, ``| 7`` a scale its
    points, and ``若2=3`` at the end shows it only when question 2 was answered with its
    third option."""

    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    questions = forms.CharField(
        label=_("Questions"),
        help_text=_(
            "One a line: 单选/多选/评分/排序/填空/矩阵, the question, then | options"
            " separated by ； (a matrix: | rows | columns; a scale: | points). 单选* is"
            " optional; end with 若2=3 to show it only after option 3 of question 2."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    opens_at = _when(_("Opens"))
    closes_at = _when(_("Closes"))
    is_anonymous = forms.BooleanField(label=_("Anonymous to staff"), required=False, initial=True)
    send_down = forms.BooleanField(label=_("Send to every committee below"), required=False)

    def clean_questions(self) -> list[dict]:
        found = []
        for n, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parsed = _parsed(line)
            if parsed is None:
                raise forms.ValidationError(_("Line %(n)s cannot be read.") % {"n": n})
            found.append(parsed)
        return found


def _parsed(line: str) -> dict | None:
    condition = None
    shown = re.search(r"\s*若\s*(\d+)\s*=\s*(\d+)\s*$", line)
    if shown:
        condition = {"question": int(shown.group(1)), "option": int(shown.group(2)) - 1}
        line = line[: shown.start()]
    head, *parts = [part.strip() for part in line.split("|")]
    kind_word, _sep, text = head.partition(" ")
    optional = kind_word.endswith("*")
    kind = KINDS.get(kind_word.rstrip("*"))
    if kind is None or not text.strip():
        return None
    question: dict = {"kind": kind, "text": text.strip(), "is_required": not optional}
    if condition:
        question["shown_if"] = condition
    split = [[item.strip() for item in part.split("；") if item.strip()] for part in parts]
    if kind == Question.Kind.SCALE:
        if split and split[0] and split[0][0].isdecimal():
            question["scale_max"] = int(split[0][0])
    elif kind == Question.Kind.MATRIX:
        if len(split) != 2:
            return None
        question["rows"], question["options"] = split
    elif kind != Question.Kind.TEXT:
        if len(split) != 1:
            return None
        question["options"] = split[0]
    return question

from django import template

from .. import services
from ..models import Reaction

register = template.Library()

LABELS = dict(Reaction.Kind.choices)


@register.inclusion_tag("reactions/buttons.html", takes_context=True)
def reactions(context, subject):
    """The reaction buttons of ``subject`` with the youths' counts, those given marked."""
    label = subject._meta.label_lower
    _model, rules = services.reactable(label)
    if not rules.is_shown(subject):
        return {"buttons": []}
    request = context["request"]
    counted = services.counts(label, [subject.pk])[subject.pk]
    given = services.mine(request.user, label, [subject.pk])[subject.pk]
    return {
        "subject": label,
        "id": subject.pk,
        "next": request.get_full_path(),
        "buttons": [
            {"kind": kind, "label": LABELS[kind], "n": counted[kind], "given": kind in given}
            for kind in Reaction.Kind.values
            if kind in rules.kinds
        ],
        "csrf_token": context.get("csrf_token"),
    }

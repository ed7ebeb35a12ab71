"""Template helpers of the page shell."""

from django import template

register = template.Library()


@register.filter
def author_names(reply) -> list[str]:
    """Who wrote a staff answer, each name once: the organisation and the author's name,
    leaving out one that the other already says (an author named after the organisation)."""
    organisation = (getattr(reply, "organisation", "") or "").strip()
    author = str(getattr(reply, "author", "") or "").strip()
    if not organisation:
        return [author] if author else []
    if not author or author in organisation:
        return [organisation]
    if organisation in author:
        return [author]
    return [organisation, author]


@register.filter
def index_term(name: str) -> str:
    """The name a page gives a term of the influence index."""
    from franchise.influence import TERM_LABELS

    return str(TERM_LABELS.get(name, name))


@register.filter
def category_name(code: str) -> str:
    """A standard category's name for its code (the code itself if there is none)."""
    from franchise.models import Category

    if not code:
        return ""
    found = Category.objects.filter(code=code).values_list("name", flat=True).first()
    return found or code

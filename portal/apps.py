from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        import timeline
        from core.notifications import unread_count
        from reactions import services as reactions

        from . import mine
        from .models import Notice

        reactions.register(
            Notice,
            reactions.Reactable(
                kinds=frozenset({reactions.Kind.LIKE, reactions.Kind.ROAST}),
                authors=lambda notice: {notice.author_id},
                record=lambda notice, kind, *, actor, **data: timeline.record(
                    notice, kind, category="other", actor=actor, data=data
                ),
                is_shown=lambda notice: notice.is_published,
            ),
        )

        mine.register(
            mine.Section(
                key="notifications",
                title=_("My notifications"),
                url_name="core:notifications",
                order=80,
                count=lambda request: unread_count(request.user),
            )
        )
        mine.register(
            mine.Section(key="profile", title=_("My profile"), url_name="core:profile", order=90)
        )

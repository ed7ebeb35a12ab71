"""Setting up a committee's teams and rules for question-loop tests."""

from django_tenants.utils import schema_context

from casework.models import Member, RoutingRule, Team


def alliance(
    code: str,
    *members,
    category: str = "career",
    strategy: str = "least_loaded",
    name: str = "就业服务联盟",
    supervisor=None,
    kind: str = "expert",
) -> Team:
    """A team in ``code`` with ``members`` answering for it, and a rule sending it
    ``category``."""
    with schema_context(code.replace("-", "_")):
        team = Team.objects.create(name=name, supervisor=supervisor)
        for user in members:
            Member.objects.create(team=team, user=user, kind=kind, organisation="人社局")
        RoutingRule.objects.create(category_id=category, team=team, strategy=strategy)
        return team

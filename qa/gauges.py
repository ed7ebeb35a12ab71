"""The questions waiting for staff on every portal (core.monitoring), measured by beat."""

from core.monitoring import Samples, across_committees, gauge

from .models import OPEN_STATES


@gauge(
    "yv_questions_open",
    "Questions waiting for staff on every portal (review, triage or a team's queue), by state, "
    "when last measured.",
    labels=["state"],
    measured=True,
)
def open_questions() -> Samples:
    states = ", ".join(f"'{state}'" for state in OPEN_STATES)
    rows = across_committees(
        "SELECT %s, state, count(*) FROM {schema}.qa_question"
        f" WHERE state IN ({states}) AND transferred_to = '' GROUP BY state"
    )
    totals = dict.fromkeys(OPEN_STATES, 0)
    for _schema, state, n in rows:
        totals[state] += n
    return [((str(state),), float(n)) for state, n in totals.items()]

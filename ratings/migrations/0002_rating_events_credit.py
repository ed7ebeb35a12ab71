from django.db import migrations

# Rating events recorded before the standard score say whom they credit, as
# ``ratings.services.rate`` now records it (the address they came from is not known).
CREDIT = """UPDATE timeline_event e SET data = e.data || jsonb_build_object(
    'term', %(term)s, 'credited', coalesce(c.credited, '[]'::jsonb), 'team', c.team,
    'team_name', coalesce(t.name, ''))
  FROM (%(credits)s) c LEFT JOIN casework_team t ON t.id = c.team
  WHERE e.kind = %(kind)s AND e.subject_type = %(subject)s AND e.subject_id = c.id
  AND NOT e.data ? 'credited'"""

CREDITS = {
    ("qa.rated", "qa.question", "answers"): """SELECT q.id, q.team_id AS team,
        (SELECT jsonb_agg(DISTINCT a.author_id) FROM qa_reply a WHERE a.question_id = q.id
         AND a.kind = 'answer' AND a.state = 'published'
         AND a.author_kind NOT IN ('peer', 'asker')) AS credited FROM qa_question q""",
    ("help.rated", "helpcases.helpcase", "help"): """SELECT h.id, h.team_id AS team,
        CASE WHEN h.assignee_id IS NULL THEN '[]'::jsonb
        ELSE jsonb_build_array(h.assignee_id) END AS credited FROM helpcases_helpcase h""",
    ("homes.rated", "homes.booking", "bookings"): """SELECT b.id, y.team_id AS team,
        CASE WHEN b.checked_in_by_id IS NULL OR b.checked_in_by_id = b.youth_id
        THEN '[]'::jsonb ELSE jsonb_build_array(b.checked_in_by_id) END AS credited
        FROM homes_booking b JOIN homes_slot s ON s.id = b.slot_id
        JOIN homes_service v ON v.id = s.service_id JOIN homes_youthhome y ON y.id = v.home_id""",
    ("activities.rated", "activities.registration", "activities"): """SELECT g.id,
        a.organiser_id AS team, jsonb_build_array(a.created_by_id) AS credited
        FROM activities_registration g JOIN activities_activity a ON a.id = g.activity_id""",
}


def sql() -> list[str]:
    found = [
        CREDIT.replace("%(credits)s", credits)
        .replace("%(term)s", f"'{term}'")
        .replace("%(kind)s", f"'{kind}'")
        .replace("%(subject)s", f"'{subject}'")
        for (kind, subject, term), credits in CREDITS.items()
    ]
    # A rating of one's own work is no youth's judgement.
    found.append(
        """UPDATE timeline_event SET data = data || '{"staff": true}'::jsonb
        WHERE data ? 'credited' AND data->'credited' @> to_jsonb(actor_id)"""
    )
    return found


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0001_initial"),
        ("qa", "0012_designated_team"),
        ("helpcases", "0002_transfers"),
        ("homes", "0004_home_photos"),
        ("activities", "0002_reviews_are_cases"),
        ("timeline", "0002_origin"),
        ("casework", "0003_organisations"),
    ]

    operations = [migrations.RunSQL(sql(), migrations.RunSQL.noop)]

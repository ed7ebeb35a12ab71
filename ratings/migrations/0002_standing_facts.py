import django.contrib.postgres.fields
from django.db import migrations, models

# Ratings given before the standard score say what it reads, as ``ratings.rate`` now does.
BACKFILL = [
    """UPDATE ratings_rating SET term = CASE subject_type
         WHEN 'qa.question' THEN 'answers' WHEN 'helpcases.helpcase' THEN 'help'
         WHEN 'homes.booking' THEN 'bookings' WHEN 'activities.registration' THEN 'activities'
         ELSE '' END""",
    """UPDATE ratings_rating r SET counts = false WHERE EXISTS (
         SELECT 1 FROM timeline_event e WHERE e.subject_type = r.subject_type
         AND e.subject_id = r.subject_id AND e.actor_id = r.rater_id
         AND e.kind LIKE '%.rated' AND e.data @> '{"staff": true}')""",
    """UPDATE ratings_rating r SET team_id = q.team_id, credited = ARRAY(
         SELECT DISTINCT a.author_id FROM qa_reply a WHERE a.question_id = q.id
         AND a.kind = 'answer' AND a.state = 'published'
         AND a.author_kind NOT IN ('peer', 'asker'))
       FROM qa_question q WHERE r.subject_type = 'qa.question' AND q.id = r.subject_id""",
    """UPDATE ratings_rating r SET team_id = h.team_id,
         credited = CASE WHEN h.assignee_id IS NULL THEN '{}' ELSE ARRAY[h.assignee_id] END
       FROM helpcases_helpcase h WHERE r.subject_type = 'helpcases.helpcase'
       AND h.id = r.subject_id""",
    """UPDATE ratings_rating r SET team_id = h.team_id,
         credited = CASE WHEN b.checked_in_by_id IS NULL OR b.checked_in_by_id = b.youth_id
                    THEN '{}' ELSE ARRAY[b.checked_in_by_id] END
       FROM homes_booking b JOIN homes_slot s ON s.id = b.slot_id
       JOIN homes_service v ON v.id = s.service_id
       JOIN homes_youthhome h ON h.id = v.home_id
       WHERE r.subject_type = 'homes.booking' AND b.id = r.subject_id""",
    """UPDATE ratings_rating r SET team_id = a.organiser_id, credited = ARRAY[a.created_by_id]
       FROM activities_registration g JOIN activities_activity a ON a.id = g.activity_id
       WHERE r.subject_type = 'activities.registration' AND g.id = r.subject_id""",
    "UPDATE ratings_rating SET counts = false WHERE rater_id = ANY(credited)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0001_initial"),
        ("qa", "0012_designated_team"),
        ("helpcases", "0002_transfers"),
        ("homes", "0004_home_photos"),
        ("activities", "0002_reviews_are_cases"),
        ("timeline", "0002_origin"),
    ]

    operations = [
        migrations.AddField(
            model_name="rating",
            name="client",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="rating",
            name="counts",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="rating",
            name="credited",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), blank=True, default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="rating",
            name="team_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="rating",
            name="term",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]

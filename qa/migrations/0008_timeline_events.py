"""The question events move to the committee's one timeline (``timeline.Event``), their kinds
namespaced (``asked`` → ``qa.asked``), with the asker as the youth served and the title as the
topic of ``qa.asked``; what was shipped stays shipped."""

from django.db import migrations

FORWARD = """
    INSERT INTO timeline_event
        (subject_type, subject_id, kind, actor_id, state, category, youth_id, topic, data, at,
         shipped_at)
    SELECT 'qa.question', e.question_id, 'qa.' || e.kind, e.actor_id, e.state, e.category,
           q.asker_id, CASE WHEN e.kind = 'asked' THEN q.title ELSE '' END, e.data, e.at,
           e.shipped_at
    FROM qa_timelineevent e JOIN qa_question q ON q.id = e.question_id
    ORDER BY e.id
"""
BACKWARD = """
    INSERT INTO qa_timelineevent (question_id, kind, actor_id, state, category, data, at, shipped_at)
    SELECT subject_id, substr(kind, 4), actor_id, state, category, data, at, shipped_at
    FROM timeline_event WHERE subject_type = 'qa.question' ORDER BY id;
    DELETE FROM timeline_event WHERE subject_type = 'qa.question';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("qa", "0007_deflected"),
        ("timeline", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.DeleteModel(name="TimelineEvent"),
    ]

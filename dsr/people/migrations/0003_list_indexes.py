"""Indexes for the register list: its two main orders with the whole sort key and the id, so that it pages
through ids from the index alone, and the people's current keyworkers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_filed_records"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_review_due"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["register", "status", "next_review_due", "family_name", "given_name", "id"],
                name="person_review_due",
            ),
        ),
        migrations.RemoveIndex(model_name="person", name="person_name"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["register", "status", "family_name", "given_name", "id"], name="person_name"
            ),
        ),
        migrations.AddIndex(
            model_name="involvement",
            index=models.Index(
                condition=models.Q(is_keyworker=True, ended_on__isnull=True),
                fields=["person", "started_on"],
                name="involvement_current_keyworker",
            ),
        ),
    ]

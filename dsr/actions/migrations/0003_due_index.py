"""An index for today's work: open actions in the order they fall due, so that the most urgent are read first
however many are overdue."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0002_action_agreed_at_meeting"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["status", "due_on", "id"], name="action_due"),
        ),
    ]

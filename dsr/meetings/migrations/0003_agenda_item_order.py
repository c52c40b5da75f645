"""An index for a page of an agenda: its items in order, so that the first 50 of thousands are read from the
index rather than every item joined to its person and then sorted."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_meeting_cancellation"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="agendaitem",
            index=models.Index(fields=["meeting", "position"], name="agenda_item_order"),
        ),
    ]

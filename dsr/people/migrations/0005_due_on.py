"""The first day anything on a person's record falls due, kept for today's work to read the most urgent
people from an index. Empty for everyone until the nightly run (or a change to the record) works it out:
today's work works it out itself for anyone it is empty for."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_name_search_indexes"),
        ("registers", "0009_existing_registers_stay_on_the_public_form"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="due_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["register", "status", "due_on"], name="person_due_on"),
        ),
    ]

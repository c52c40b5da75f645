"""Registers that were on the public referral form before it needed publishing stay on it."""

from django.db import migrations


def publish_existing(apps, schema_editor):
    apps.get_model("registers", "Register").objects.update(published=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0008_referral_form_contact_and_publishing"),
    ]

    operations = [
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]

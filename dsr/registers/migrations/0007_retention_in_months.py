"""Retention periods are held in calendar months (6 months, 6 years = 72 months) instead of days, so a
record is filed and erased on the same day of the month it would be by the calendar. Existing settings
become the nearest whole number of months; the consultation target can be counted in working days."""

import django.core.validators
from django.db import migrations, models

DAYS_IN_A_MONTH = 365.25 / 12


def to_months(apps, schema_editor):
    Register = apps.get_model("registers", "Register")
    for register in Register.objects.all():
        register.file_after_months = (
            None if register.archive_after_days is None else max(1, round(register.archive_after_days / DAYS_IN_A_MONTH))
        )
        register.erase_after_months = max(1, round(register.erase_after_days / DAYS_IN_A_MONTH))
        if register.file_after_months is not None and register.file_after_months >= register.erase_after_months:
            register.file_after_months = register.erase_after_months - 1 or None
        register.save(update_fields=["file_after_months", "erase_after_months"])


def to_days(apps, schema_editor):
    Register = apps.get_model("registers", "Register")
    for register in Register.objects.all():
        register.archive_after_days = (
            None if register.file_after_months is None else round(register.file_after_months * DAYS_IN_A_MONTH)
        )
        register.erase_after_days = round(register.erase_after_months * DAYS_IN_A_MONTH)
        register.save(update_fields=["archive_after_days", "erase_after_days"])


class Migration(migrations.Migration):
    dependencies = [("registers", "0006_unusual_access_policy")]

    operations = [
        migrations.AddField(
            model_name="register",
            name="file_after_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                default=6,
                help_text=(
                    "Leave empty to keep the record on the register's lists until it is erased. 12 months is a year."
                ),
                null=True,
                verbose_name="File the record this many months after leaving",
            ),
        ),
        migrations.AddField(
            model_name="register",
            name="erase_after_months",
            field=models.PositiveSmallIntegerField(
                default=72,
                help_text="72 months is 6 years.",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="Erase the record this many months after leaving",
            ),
        ),
        migrations.RunPython(to_months, to_days),
        migrations.RemoveField(model_name="register", name="archive_after_days"),
        migrations.RemoveField(model_name="register", name="erase_after_days"),
        migrations.AlterField(
            model_name="register",
            name="consultation_target_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="Days within which a consultation is offered after a referral",
            ),
        ),
        migrations.AddField(
            model_name="register",
            name="consultation_target_working_days",
            field=models.BooleanField(
                default=False,
                verbose_name="Count the consultation target in working days (not weekends or bank holidays)",
            ),
        ),
    ]

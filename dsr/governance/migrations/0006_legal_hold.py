"""Legal holds: a record held for a claim, an inquiry or an investigation is neither filed nor erased."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_audit_key"),
        ("people", "0002_filed_records"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LegalHold",
            fields=[
                (
                    "id",
                    models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
                ("reason", models.TextField(verbose_name="Why the record is held")),
                ("reference", models.CharField(max_length=100, verbose_name="Reference")),
                ("review_on", models.DateField(verbose_name="Review the hold on")),
                (
                    "set_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="Held since"),
                ),
                ("lifted_at", models.DateTimeField(blank=True, null=True, verbose_name="Lifted")),
                ("lift_reason", models.TextField(blank=True, verbose_name="Why the hold was lifted")),
                (
                    "lifted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="legal_holds",
                        to="people.person",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-set_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("lifted_at__isnull", True)),
                        fields=("person",),
                        name="one_legal_hold_in_force",
                    )
                ],
            },
        ),
    ]

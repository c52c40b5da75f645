from django.db import migrations

# The factors registers consider when rating (Barking and Dagenham's published list).
FACTORS = [
    "Significant life events",
    "Mental or physical health",
    "Admission history",
    "Transition between children's and adults' services",
    "Education provision (including residential or specialist)",
    "Presenting challenging behaviour",
    "Changes in support staff",
    "Contact with the criminal justice system",
    "Alcohol or substance misuse",
    "Recent crises (A&E or emergency social care)",
]


def add_factors(apps, schema_editor):
    RiskFactor = apps.get_model("ratings", "RiskFactor")
    for position, name in enumerate(FACTORS):
        RiskFactor.objects.get_or_create(register=None, name=name, defaults={"position": position})


def remove_factors(apps, schema_editor):
    apps.get_model("ratings", "RiskFactor").objects.filter(register=None, name__in=FACTORS).delete()


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]
    operations = [migrations.RunPython(add_factors, remove_factors)]

from django.contrib.auth import get_user_model
from django.core.management import call_command

from dsr.people.models import Admission, Person
from dsr.registers.models import Membership, Register, Role
from dsr.registers.personas import DEMO_PASSWORD, PERSONAS


def test_seed_demo_builds_two_registers_a_user_per_role_and_about_sixty_people(db, capsys):
    call_command("seed_demo")
    assert Register.objects.count() == 2
    assert Person.objects.count() == 60
    for role in Role:
        assert Membership.objects.filter(user__username=role.value, role=role).exists(), role
    assert get_user_model().objects.get(username="coordinator").check_password(DEMO_PASSWORD)
    ratings = set(Person.objects.values_list("current_rating", flat=True))
    assert ratings == {"red", "amber", "green", "blue"}
    assert Admission.objects.exists()
    assert all(p.nhs_number.startswith("999") for p in Person.objects.all())
    out = capsys.readouterr().out
    for persona in PERSONAS:
        assert persona.username in out
    assert DEMO_PASSWORD in out


def test_seed_demo_if_empty_leaves_existing_data_alone(db):
    call_command("seed_demo")
    before = Person.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Person.objects.count() == before

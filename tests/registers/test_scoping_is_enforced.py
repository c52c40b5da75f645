"""Person data is reached only through the scoping layer (dsr/access.py and the selectors).

Views, forms, filters, API modules and management commands must not use a person-data model's
manager themselves: a query that starts there skips the register and role of the user. The check
reads the code with the ast module, so names in strings and comments do not count and aliases do.
"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

import dsr
from dsr.access import ALL_REGISTERS, SESSION_KEY
from dsr.registers.models import Role
from tests.factories import make_person, member
from tests.urls_walk import PERSON_URLS, URLS, give_record_ids, person_data_models

DSR = Path(dsr.__file__).parent
CHECKED_FILE_NAMES = {"views.py", "forms.py", "filters.py", "api.py"}
# seed_demo builds the demo data, so it has to create people directly.
EXEMPT = {DSR / "demo" / "management" / "commands" / "seed_demo.py"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404", "aget_object_or_404", "aget_list_or_404"}


def checked_modules() -> list[Path]:
    """views, forms, filters, anything in an api package, and management commands, under dsr/."""
    paths = []
    for path in sorted(DSR.rglob("*.py")):
        parts = path.relative_to(DSR).parts
        folders = parts[:-1]
        is_command = any(folders[i : i + 2] == ("management", "commands") for i in range(len(folders)))
        checked = path.name in CHECKED_FILE_NAMES or path.name.endswith("_views.py")
        if (checked or "api" in folders or is_command) and path not in EXEMPT:
            paths.append(path)
    return paths


def direct_uses(source: str, model_names: set[str]) -> list[str]:
    """Where the source uses a person-data model's manager, or a 404 shortcut on such a model."""
    tree = ast.parse(source)
    aliases = {name: name for name in model_names}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for imported in node.names:
                if imported.name in model_names:
                    aliases[imported.asname or imported.name] = imported.name

    def model_named_by(expression: ast.expr) -> str | None:
        if isinstance(expression, ast.Name):
            return aliases.get(expression.id)
        if isinstance(expression, ast.Attribute):  # models.Person
            return aliases.get(expression.attr)
        return None

    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            model = model_named_by(node.value)
            if model:
                uses.append(f"line {node.lineno}: {model}.{node.attr}")
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            called = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
            model = model_named_by(node.args[0]) if called in SHORTCUTS else None
            if model:
                uses.append(f"line {node.lineno}: {called}({model})")
    return uses


def test_person_data_models_are_every_kind_in_the_records_registry():
    names = {model.__name__ for model in person_data_models()}
    assert names >= {
        "Person",
        "Diagnosis",
        "Involvement",
        "Consent",
        "Admission",
        "Episode",
        "ContactLog",
        "Circumstances",
        "RiskRating",
        # Kinds outside the people app are covered too, from the same registry.
        "Referral",
        "SubjectAccessRequest",
        "RectificationRequest",
        "Notification",
        "Document",
        "Review",
        "Action",
    }
    assert "RiskFactor" not in names  # policy data: it belongs to a register, not a person


def test_the_check_reads_the_modules_it_should():
    checked = {path.relative_to(DSR).as_posix() for path in checked_modules()}
    assert {
        "workspace/people_views.py",
        "people/forms.py",
        "workspace/filters.py",
        "governance/views.py",
        "governance/management/commands/verify_audit.py",
    } <= checked
    assert "demo/management/commands/seed_demo.py" not in checked
    assert "workspace/selectors.py" not in checked


def test_views_forms_filters_and_commands_never_query_person_data_directly():
    names = {model.__name__ for model in person_data_models()}
    found = {
        path.relative_to(DSR).as_posix(): uses
        for path in checked_modules()
        if (uses := direct_uses(path.read_text(), names))
    }
    assert found == {}, "Start from scope_for(request) / the selectors instead"


@pytest.mark.parametrize(
    "source",
    [
        "Person.objects.all()",
        "from dsr.people.models import Consent as C\nC.objects.get(pk=1)",
        "from dsr.people import models\nmodels.Admission.objects.filter(discharged_on=None)",
        "get_object_or_404(Person, pk=person_id)",
        "shortcuts.get_list_or_404(RiskRating, person=p)",
        "Episode._default_manager.all()",
        "def f():\n    return [c for c in ContactLog.objects.all()]",
    ],
)
def test_the_check_catches_a_direct_query(source):
    names = {model.__name__ for model in person_data_models()}
    assert len(direct_uses(source, names)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "scope.people().get(pk=person_id)",
        "RiskFactor.objects.filter(register__isnull=True)",
        "person.involvements.all()",
        "message = 'never call Person.objects here'",
        "# Person.objects.all() would skip the scope\nx = 1",
        "get_object_or_404(scope.people(), pk=person_id)",
    ],
)
def test_the_check_leaves_scoped_code_alone(source):
    names = {model.__name__ for model in person_data_models()}
    assert direct_uses(source, names) == []


@pytest.fixture
def outsider(other_register):
    """Someone in another register, with a care team, consent and a current admission."""
    coordinator = member(other_register, Role.COORDINATOR, password=None)
    person = make_person(register=other_register, by=coordinator, given_name="Olu", family_name="Outsider")
    return person, give_record_ids(person, coordinator)


def test_a_coordinator_gets_not_found_for_every_page_of_a_person_in_another_register(
    coordinator_client, person, outsider
):
    _, records = outsider
    statuses = {
        name: coordinator_client.get(reverse(name, kwargs={k: records[k] for k in URLS[name]})).status_code
        for name in PERSON_URLS
    }
    assert statuses == dict.fromkeys(PERSON_URLS, 404)
    # The same pages do open for the coordinator's own person, so the 404s are about scope.
    assert coordinator_client.get(reverse("people:detail", args=[person.pk])).status_code == 200


def people_shown(response) -> set[str]:
    """The record links in the results table."""
    return set(re.findall(r'href="/people/([0-9a-f-]{36})/"', response.content.decode()))


def test_all_my_registers_shows_only_the_registers_the_user_belongs_to(coordinator_client, person, outsider):
    someone_elsewhere, _ = outsider
    coordinator_client.post(reverse("switch_register"), {"register": ALL_REGISTERS})
    assert coordinator_client.session[SESSION_KEY] == ALL_REGISTERS
    response = coordinator_client.get(reverse("people:list"))
    assert people_shown(response) == {str(person.pk)}
    assert someone_elsewhere.family_name not in response.content.decode()


@pytest.mark.parametrize("search_by", ["nhs_number", "family_name"])
def test_searching_for_a_person_in_another_register_finds_nobody(
    coordinator_client, person, outsider, search_by
):
    someone_elsewhere, _ = outsider
    coordinator_client.post(reverse("switch_register"), {"register": ALL_REGISTERS})
    results = coordinator_client.get(reverse("people:list"), {"q": getattr(someone_elsewhere, search_by)})
    assert people_shown(results) == set()
    # The same search finds someone in the user's own register.
    results = coordinator_client.get(reverse("people:list"), {"q": getattr(person, search_by)})
    assert people_shown(results) == {str(person.pk)}

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from dsr.access import ALL_REGISTERS, SESSION_KEY
from dsr.dates import today, years_before
from dsr.people import services
from dsr.registers.models import Role
from tests.factories import MembershipFactory, RegisterFactory, make_person, member

SUMMARY = reverse("reports:summary")


@pytest.fixture
def adult():
    """The date of birth of someone who is 20."""
    return years_before(today(), 20)


@pytest.fixture
def register(register):
    """The children's register, taking young adults up to 25 too."""
    register.max_age = 25
    register.save()
    return register


def figures_shown(response) -> dict[str, dict[str, str]]:
    """Each register's table as it reads on the page: measure -> figure (without the words for screen
    readers)."""
    html = response.content.decode()
    tables = {}
    for name, body in re.findall(r"<h2>(.*?)</h2>(.*?)</table>", html, re.S):
        rows = re.findall(r'<th[^>]*scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>', body, re.S)
        tables[unescape(name)] = {
            " ".join(th.split()): re.sub(r"<span.*?</span>", "", td, flags=re.S).strip() for th, td in rows
        }
    return tables


def add_people(register, by, n, **details):
    return [make_person(register=register, by=by, **details) for _ in range(n)]


def test_analyst_sees_counts_rounded_to_the_nearest_5_and_never_a_name(client, register, coordinator, adult):
    add_people(register, coordinator, 13, rating="red", given_name="Hidden", family_name="Person")
    add_people(register, coordinator, 9, rating="amber", born=adult)
    client.force_login(member(register, Role.ANALYST))
    response = client.get(SUMMARY)
    assert figures_shown(response)[register.name] == {
        "On the register": "20",  # 22 people
        "Rated red": "15",  # 13
        "Rated amber": "10",  # 9
        "Rated green": "0",
        "Rated blue": "0",
        "Children and young people (under 18)": "15",  # 13
        "Adults": "10",  # 9
        "Overdue for review": "0",
        "In hospital now": "0",
    }
    html = response.content.decode()
    assert "Hidden" not in html
    assert "/people/" not in html


def test_a_small_count_is_shown_as_a_star_with_the_others_in_its_group(client, register, coordinator):
    add_people(register, coordinator, 9, rating="red", given_name="Hidden", family_name="Person")
    add_people(register, coordinator, 2, rating="green", given_name="Lone", family_name="Green")
    client.force_login(member(register, Role.ANALYST))
    response = client.get(SUMMARY)
    figures = figures_shown(response)[register.name]
    assert figures["On the register"] == "10"  # 11 people
    # 2 green people are hidden, and so is red: otherwise 11 - 9 would give them away.
    assert [figures[f"Rated {colour}"] for colour in ("red", "amber", "green", "blue")] == [
        "*",
        "0",
        "*",
        "0",
    ]
    assert figures["Children and young people (under 18)"] == "10"
    assert figures["Adults"] == "0"
    html = response.content.decode()
    assert "Hidden" not in html and "Lone" not in html


def test_the_page_explains_what_a_star_and_a_rounded_figure_mean(client, register):
    client.force_login(member(register, Role.ANALYST))
    html = client.get(SUMMARY).content.decode()
    legend = " ".join(re.search(r'<ul[^>]*id="how-to-read">(.*?)</ul>', html, re.S).group(1).split())
    assert "<strong>*</strong> means the figure is hidden: it is between 1 and 7" in legend
    assert "rounded to the nearest 5" in legend
    assert "fewer than 5" not in html


def test_no_figure_is_ever_an_exact_small_count(client, register, coordinator, adult):
    for n, rating in zip((1, 3, 8, 14), ("red", "amber", "green", "blue"), strict=True):
        add_people(register, coordinator, n, rating=rating)
    add_people(register, coordinator, 1, rating="green", born=adult)
    client.force_login(member(register, Role.ANALYST))
    figures = figures_shown(client.get(SUMMARY))[register.name]
    assert len(figures) == 9
    for shown in figures.values():
        assert shown in ("*", "0") or (int(shown.replace(",", "")) % 5 == 0), figures


def test_analyst_cannot_open_the_register_list(client, register):
    client.force_login(member(register, Role.ANALYST))
    assert client.get(reverse("people:list")).status_code == 403


def test_figures_leave_out_people_who_have_left(client, register, coordinator):
    people = add_people(register, coordinator, 13, rating="amber")
    services.remove_from_register(
        person=people[0], left_on=datetime.date.today(), reason="Moved away", by=coordinator
    )
    client.force_login(coordinator)
    figures = figures_shown(client.get(SUMMARY))[register.name]
    assert figures["Rated amber"] == "10"  # 12 people; 13 would be shown as 15
    assert figures["On the register"] == "10"


def test_the_page_runs_the_same_queries_however_many_registers_and_people(
    client, register, coordinator, django_assert_num_queries
):
    analyst = member(register, Role.ANALYST)
    add_people(register, coordinator, 2)
    client.force_login(analyst)
    session = client.session
    session[SESSION_KEY] = ALL_REGISTERS
    session.save()
    with django_assert_num_queries(7) as few:
        client.get(SUMMARY)

    other = RegisterFactory(name="Another register")
    MembershipFactory(register=other, role=Role.ANALYST, user=analyst)
    add_people(other, member(other, Role.COORDINATOR), 3)
    add_people(register, coordinator, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(SUMMARY)
    assert set(figures_shown(response)) == {register.name, "Another register"}

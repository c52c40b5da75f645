"""Every page of the access table, for every role, served with the production settings: the answer
the table says, never a 500, never cached, and every stylesheet, script and icon a page links to is
there."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.registers.test_access_table import ACCESS, ROLES, World, assert_answer, build_world, request_as

pytestmark = pytest.mark.usefixtures("production_settings")

LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_as_the_access_table_says(db, world: World, role):
    client = Client(raise_request_exception=False)
    linked: set[str] = set()
    failures = []
    for name, row in ACCESS.items():
        response = request_as(client, world, role, name, world.records)
        if response.status_code >= 500:
            failures.append(f"{name}: {response.status_code}")
            continue
        assert_answer(response, row[ROLES.index(role)])
        # No page is kept by the browser or a proxy: it may show person data.
        assert "no-store" in response["Cache-Control"].split(", "), name
        if response.get("Content-Type", "").startswith("text/html"):
            linked.update(LINKED.findall(response.content.decode()))
    assert failures == []
    assert linked, "pages link their static files"
    missing = [url for url in sorted(linked) if Client().get(url).status_code != 200]
    assert missing == []


def test_pages_link_the_hashed_copies_of_the_stylesheets(db, client):
    page = client.get("/sign-in/").content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert len(stylesheets) == 3  # the design system, ours, and ours for printing
    assert all(re.search(r"\.[0-9a-f]{12}\.css$", urlsplit(href).path) for href in stylesheets)


def test_a_hashed_stylesheet_is_cached_for_a_long_time_and_compressed(db, client):
    page = client.get("/sign-in/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+nhsuk[^"]+)"', page).group(1)
    response = client.get(href, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] in {"gzip", "br"}


def test_the_design_systems_icons_are_served_from_the_folder_its_stylesheet_expects(db, client):
    page = client.get("/sign-in/").content.decode()
    assert '<link rel="icon" href="/static/vendor/nhsuk/assets/images/favicon.ico"' in page
    assert client.get("/static/vendor/nhsuk/assets/images/favicon.ico").status_code == 200


def test_a_page_that_does_not_exist_is_the_nhs_styled_404(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert "nhsuk-header" in page


@pytest.mark.urls("tests.production.failing_urls")
def test_an_error_is_the_nhs_styled_500_that_says_nothing_was_saved(db):
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Nothing you entered has been saved" in page
    stylesheet = r'<link rel="stylesheet" href="/static/vendor/nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.css"'
    assert re.search(stylesheet, page)

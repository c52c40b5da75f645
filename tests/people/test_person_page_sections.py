"""A person's page is built from the sections each app registers (dsr.person_page): every kind of person
record is on it, or is shown on a page of its own that the person page does not repeat."""

import re

from django.urls import reverse

from dsr import person_page
from dsr.audit import records
from dsr.registers.models import Role
from tests.factories import member, rated_many_times

# Kinds of person record shown on a page of their own, not on the person's page, and where.
SHOWN_ELSEWHERE = {
    "rights.subjectaccessrequest": "the information rights pages",
    "rights.rectificationrequest": "the information rights pages",
    "rights.packredaction": "the subject access request's review of the pack",
    "reviews.recommendation": "the review's own page",
    "actions.actionupdate": "the action's own page",
    "referrals.referral": "the referral's page (its meeting items are in the Meetings section)",
    "referrals.referralevent": "the referral's page",
    "notifications.notification": "the outbox",
}


def test_every_kind_of_person_record_is_on_the_page_or_has_a_page_of_its_own():
    pages = (person_page.RECORD, person_page.RIGHTS)
    on_the_page = {kind for on in pages for section in person_page.sections(on) for kind in section.shows}
    kinds = {kind.key for kind in records.kinds()}
    assert kinds - on_the_page - set(SHOWN_ELSEWHERE) == set()
    # and nothing here names a kind that is gone, or is said to be in two places
    assert (on_the_page | set(SHOWN_ELSEWHERE)) - kinds == set()
    assert on_the_page & set(SHOWN_ELSEWHERE) == set()


def test_the_page_shows_the_sections_in_order_with_unique_places():
    sections = person_page.sections()
    assert [s.order for s in sections] == sorted({s.order for s in sections})
    assert len({s.key for s in sections}) == len(sections)


def test_a_section_needing_a_permission_is_left_out_for_those_without_it(client, register, person):
    client.force_login(member(register, Role.PROFESSIONAL, username="prof"))
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert 'id="ratings"' in page and 'href="#ratings"' in page
    assert 'id="access"' not in page and 'href="#access"' not in page


def test_every_section_is_on_the_page_in_order_and_listed_in_its_contents(coordinator_client, person):
    page = coordinator_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    places = [page.index(f'<section id="{section.key}"') for section in person_page.sections()]
    assert places == sorted(places)
    for section in person_page.sections():
        assert f'<a href="#{section.key}">{section.heading}</a>' in page


def test_a_long_rating_history_shows_the_latest_and_links_to_the_whole(
    coordinator_client, coordinator, person
):
    """Someone on the register for years has hundreds of rating entries: their page shows the latest, newest
    first, and one link shows them all."""
    rated_many_times(person, by=coordinator, times=person_page.RECENT + 4)
    total = person.ratings.count()
    url = reverse("people:detail", args=[person.pk])
    html = coordinator_client.get(url).content.decode()
    latest = [entry.rationale for entry in person.ratings.order_by("-rated_at")[: person_page.RECENT]]
    assert re.findall(r"Rating review number \d+|Initial rating at referral", html) == latest
    assert "Rating review number 0" not in html
    assert html.count("Risk factors considered:") == person_page.RECENT  # each entry shown names its own
    assert f'<a href="?history=all#ratings">Show all {total} rating entries</a>' in html
    html = coordinator_client.get(url, {"history": "all"}).content.decode()
    assert len(re.findall(r"Rating review number (\d+)", html)) == person_page.RECENT + 4
    assert html.count("Risk factors considered:") >= person_page.RECENT + 4
    assert "Show all" not in html

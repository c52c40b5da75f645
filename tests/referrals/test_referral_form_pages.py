"""The public referral form asks one topic per page, checks each page as it is answered, keeps the answers
between pages, and lets each answer be changed from the check page and come back to it."""

import re

from django.test import override_settings
from django.urls import reverse

from dsr.notifications.models import Notification
from dsr.referrals.models import Referral
from tests.factories import RegisterFactory
from tests.pages import error_summary
from tests.referrals.data import answer_pages, form_data, send

TOKEN = "token-" + "a" * 40


def page(name: str, change: bool = False) -> str:
    url = reverse("refer:step", args=[name])
    return f"{url}?change=1" if change else url


def text(response) -> str:
    return response.content.decode()


def headings(response) -> list[str]:
    return re.findall(r"<h1[^>]*>\s*(.*?)\s*</h1>", text(response), re.S)


def test_each_page_asks_about_one_topic(client, register, other_register):
    first = client.get(reverse("refer:form"))
    assert headings(first) == ["Which area&#39;s register is this referral for?"]
    assert 'name="register"' in text(first)
    assert 'name="given_name"' not in text(first) and 'name="consent_given_by"' not in text(first)

    person = client.get(page("person"))
    assert headings(person) == ["About the person who needs support"]
    form = text(person).split("<form")[-1]
    fields = set(re.findall(r'name="([a-z_]+)(?:\[\w+\])?"', form))
    assert fields - {"csrfmiddlewaretoken", "submission_token", "website"} == {
        "given_name",
        "family_name",
        "date_of_birth",
        "nhs_number",
    }


def test_with_one_register_on_the_form_there_is_no_area_to_choose(client, register):
    first = client.get(reverse("refer:form"))
    assert headings(first) == ["Who are you?"]
    assert 'name="register"' not in text(first)


def test_only_registers_their_coordinators_published_are_offered(client, register):
    RegisterFactory(name="Medway new register", published=False)
    RegisterFactory(name="Swale register")
    first = text(client.get(reverse("refer:form")))
    assert "Swale register" in first and register.name in first
    assert "Medway new register" not in first


def test_each_page_is_checked_as_it_is_answered_with_each_error_named_for_its_question(client, register):
    response = client.post(
        page("person"),
        {"given_name": "", "family_name": "Morgan", "date_of_birth[day]": "1", "date_of_birth[month]": "1"}
        | {"date_of_birth[year]": "2999", "submission_token": TOKEN},
    )
    assert response.status_code == 200
    # Every wrong answer on the page in one round, each linked to its question.
    assert error_summary(response) == [
        ("#given_name", "Enter their first name"),
        ("#date_of_birth-day", "Date of birth must be in the past"),
    ]

    diagnosis = client.post(page("diagnosis"), {"submission_token": TOKEN})
    assert error_summary(diagnosis) == [
        ("#autism", "Say whether they have been diagnosed as autistic"),
        ("#learning_disability", "Say whether they have been diagnosed with a learning disability"),
    ]


def test_answers_are_kept_between_pages_and_shown_again_going_back(client, register):
    data = form_data(register)
    answer_pages(client, data)
    person = text(client.get(page("person")))
    assert 'value="Alex"' in person and 'value="Morgan"' in person
    you = text(client.get(page("you")))
    assert re.search(r'value="parent"\s+checked', you)
    # Answering a page again moves on to the next page, and keeps the other answers.
    moved = client.post(page("person"), {**data, "given_name": "Alexa"})
    assert moved["Location"] == page("address")
    check = text(client.get(reverse("refer:check")))
    assert "Alexa" in check and "Sam Morgan" in check


def test_the_back_link_goes_to_the_page_before(client, register):
    answer_pages(client, form_data(register))
    assert f'href="{page("person")}"' in text(client.get(page("address")))
    assert f'href="{reverse("refer:start")}"' in text(client.get(reverse("refer:form")))


def test_a_parents_check_page_shows_only_what_applies_to_them(client, register):
    answer_pages(client, form_data(register))
    check = text(client.get(reverse("refer:check")))
    assert "Who are you?" in check and "I am their parent or carer" in check
    for professional_only in ("Your role", "Your organisation", "How was consent recorded"):
        assert professional_only not in check
    assert "If you are helping them" not in check  # only for someone helping
    assert "waiting list" not in check  # only when they are on one
    assert "Choose an answer" not in check


def test_a_professionals_check_page_shows_their_details(client, register):
    data = form_data(
        register,
        route="professional",
        referrer_name="Dana Okafor",
        referrer_role="Social worker",
        referrer_organisation="Kent County Council",
        referrer_email="dana@example.org",
    )
    answer_pages(client, data)
    check = text(client.get(reverse("refer:check")))
    assert "Your role" in check and "Social worker" in check and "Kent County Council" in check


def test_each_change_link_goes_to_its_own_page_and_comes_back_to_the_check_page(client, register):
    data = form_data(register)
    answer_pages(client, data)
    check = text(client.get(reverse("refer:check")))
    links = re.findall(
        r'href="([^"]+)"[^>]*>\s*Change<span class="nhsuk-u-visually-hidden"> ([^<]+)</span>', check
    )
    by_question = {label.strip(): href.replace("&amp;", "&") for href, label in links}
    assert by_question["First name"] == page("person", change=True)
    assert by_question["What is worrying you?"] == page("worries", change=True)
    assert by_question["Who agreed to this referral?"] == page("consent", change=True)

    changing = client.get(page("person", change=True))
    assert f'href="{reverse("refer:check")}"' in text(changing)  # back to the check page
    changed = client.post(page("person", change=True), {**data, "given_name": "Jo"})
    assert changed["Location"] == reverse("refer:check")
    assert "Jo" in text(client.get(reverse("refer:check")))


def test_a_change_that_brings_in_a_page_asks_it_before_going_back_to_the_check_page(client, register):
    data = form_data(register)
    answer_pages(client, data)
    changed = client.post(page("you", change=True), {**data, "route": "professional"})
    assert changed["Location"] == page("your-details", change=True)
    details = {
        "referrer_name": "Dana Okafor",
        "referrer_role": "Social worker",
        "referrer_organisation": "Kent County Council",
        "referrer_email": "dana@example.org",
        "submission_token": TOKEN,
    }
    assert client.post(page("your-details", change=True), details)["Location"] == reverse("refer:check")


def test_a_change_that_makes_another_answer_wrong_shows_that_page_with_why(client, register):
    register.max_age = 40
    register.save()
    data = form_data(register)
    answer_pages(client, data)
    changed = client.post(page("person", change=True), {**data, "date_of_birth[year]": "2000"})
    assert changed["Location"] == page("consent", change=True)
    consent = client.get(changed["Location"])
    assert any(
        "at 16 or over, consent comes from the person" in message for _, message in error_summary(consent)
    )


def test_the_check_page_sends_someone_who_skipped_a_page_back_to_it(client, register):
    client.post(page("you"), form_data(register))
    assert client.get(reverse("refer:check"))["Location"] == page("person", change=True)


def test_the_confirmation_says_what_happens_next_by_when_and_how_to_contact_the_team(client, register):
    register.team_name = "Kent and Medway DSR team"
    register.team_phone = "01622 000 001"
    register.team_email = "dsr@example.nhs.uk"
    register.data_protection_officer = "Jo Bloggs, dpo@example.nhs.uk"
    register.save()
    send(client, form_data(register))
    referral = Referral.objects.get()
    confirmation = text(client.get(reverse("refer:sent")))
    assert "What happens next" in confirmation
    assert f"by <strong>{referral.consultation_due_on.day} " in confirmation
    assert "(within 7 days of receiving it)" in confirmation
    assert "Kent and Medway DSR team" in confirmation
    assert 'href="tel:01622000001"' in confirmation and "mailto:dsr@example.nhs.uk" in confirmation
    assert "contact the data protection officer: Jo Bloggs, dpo@example.nhs.uk" in confirmation

    receipt = Notification.objects.get()
    assert "aim to offer a conversation about it by" in receipt.body
    assert "(within 7 days of receiving it)" in receipt.body
    assert (
        "To contact the team: Kent and Medway DSR team, phone 01622 000 001, email dsr@example.nhs.uk"
        in receipt.body
    )


def test_without_contact_details_the_confirmation_still_says_whom_to_contact(client, register):
    send(client, form_data(register))
    confirmation = text(client.get(reverse("refer:sent")))
    assert f"Contact {register.name} through the organisation" in confirmation
    assert "To contact the team" not in Notification.objects.get().body


def test_each_page_runs_a_fixed_number_of_queries(
    client, register, other_register, django_assert_max_num_queries
):
    answer_pages(client, form_data(register))
    for name in ("area", "person", "consent"):
        with django_assert_max_num_queries(12):
            assert client.get(page(name)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("refer:check")).status_code == 200


def test_an_unknown_page_is_not_found(client, register):
    assert client.get(page("nosuchpage")).status_code == 404


@override_settings(REFERRAL_SUBMISSIONS_PER_HOUR=1)
def test_when_the_form_cannot_be_used_the_page_says_how_to_contact_the_team(client, register):
    register.team_phone = "01622 000 001"
    register.save()
    send(client, form_data(register))
    refused = send(client, form_data(register, submission_token="token-2-" + "b" * 40))
    assert refused.status_code == 429
    assert 'href="tel:01622000001"' in text(refused)
    spam = client.post(reverse("refer:form"), form_data(register, website="http://spam.example"))
    assert spam.status_code == 400
    assert 'href="tel:01622000001"' in text(spam)

"""What the family and the referrer read, and what a caller must give for it."""

import pytest

from dsr.notifications import messages


def test_the_receipt_names_the_person_the_register_and_the_reference():
    subject, body = messages.render(
        "referral_received",
        {
            "name": "Morgan",
            "person_name": "Jamie Rivers",
            "reference": "DSR-7KQ2",
            "register": "Kent and Medway",
        },
    )
    assert subject == "We have received the referral for Jamie Rivers (reference DSR-7KQ2)"
    assert body.startswith("Hello Morgan,\n\nKent and Medway has received the referral for Jamie Rivers.")
    assert "The reference number is DSR-7KQ2." in body


@pytest.mark.parametrize(
    ("decision", "says"),
    [
        ("accepted", "Jamie Rivers has been added to the Dynamic Support Register (Kent and Medway)."),
        ("declined", "Jamie Rivers has not been added to the Dynamic Support Register (Kent and Medway)."),
        ("more_information", "We need more information before we can decide about the referral for Jamie"),
    ],
)
def test_the_decision_says_what_was_decided_and_why(decision, says):
    _, body = messages.render(
        "referral_decision",
        {
            "name": "Morgan",
            "person_name": "Jamie Rivers",
            "reference": "DSR-7KQ2",
            "register": "Kent and Medway",
            "decision": decision,
            "reason": "Jamie meets the register's criteria",
        },
    )
    assert says in body
    assert "The reason: Jamie meets the register's criteria" in body
    assert "Other support" not in body


def test_a_decline_can_suggest_other_support():
    _, body = messages.render(
        "referral_decision",
        {
            "name": "Morgan",
            "person_name": "Jamie Rivers",
            "reference": "DSR-7KQ2",
            "register": "Kent and Medway",
            "decision": "declined",
            "reason": "Needs are met by the school",
            "other_support": "The local autism family support service",
        },
    )
    assert "Other support that may help: The local autism family support service" in body


def test_the_consultation_summary_carries_the_summary():
    _, body = messages.render(
        "consultation_summary",
        {
            "name": "Dr Lee",
            "person_name": "Jamie Rivers",
            "reference": "DSR-7KQ2",
            "register": "Kent and Medway",
            "summary": "Agreed: a keyworker referral and a CETR within 4 weeks.",
        },
    )
    assert "Agreed: a keyworker referral and a CETR within 4 weeks." in body


def test_without_a_name_the_message_still_greets_the_reader():
    _, body = messages.render(
        "referral_received",
        {"name": "", "person_name": "Jamie Rivers", "reference": "R1", "register": "Kent"},
    )
    assert body.startswith("Hello,\n\nKent has received the referral for Jamie Rivers.")


def test_what_someone_typed_is_inserted_as_it_is_never_read_as_a_template():
    subject, body = messages.render(
        "referral_received",
        {"name": "{register}", "person_name": "Jo {0} {name!r}", "reference": "R1", "register": "Kent"},
    )
    assert "Jo {0} {name!r}" in subject
    assert body.startswith("Hello {register},")


def test_a_subject_is_one_line_whatever_a_name_holds():
    subject, _ = messages.render(
        "referral_received",
        {"name": "M", "person_name": "Jamie\nRivers\r\nBcc: someone", "reference": "R1", "register": "Kent"},
    )
    assert "\n" not in subject and "\r" not in subject


@pytest.mark.parametrize(
    ("template", "personalisation", "problem"),
    [
        ("welcome_pack", {}, "No message template"),
        ("referral_received", {"name": "M", "reference": "R1", "register": "K"}, "missing ['person_name']"),
        (
            "referral_received",
            {"name": "M", "person_name": " ", "reference": "R1", "register": "K"},
            "missing",
        ),
        (
            "referral_received",
            {"name": "M", "person_name": "J", "reference": "R1", "register": "K", "nmae": "typo"},
            "not used ['nmae']",
        ),
        (
            "referral_decision",
            {
                "name": "M",
                "person_name": "J",
                "reference": "R",
                "register": "K",
                "decision": "maybe",
                "reason": "x",
            },
            "No wording for the decision 'maybe'",
        ),
    ],
)
def test_a_message_that_cannot_be_written_is_refused(template, personalisation, problem):
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        messages.render(template, personalisation)

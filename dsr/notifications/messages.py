"""What each message says: a subject and a body per template, in plain English.

The caller gives the personalisation: the reference, the person's name, the decision, and `name`,
whom the message greets (it may be empty); for a change to a member of staff's access, what changed; for
the IG officer's daily digest of unusual access, the day, the counts and the link.
`dsr.notifications.services.notify` adds the register's name. Values are inserted as they are, never
read as template text, so a name with braces in it is just a name.
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    required: frozenset[str]
    optional: frozenset[str] = frozenset()


SIGN_OFF = "{register}\nDynamic Support Register"

MESSAGES: dict[str, Message] = {
    "referral_received": Message(
        subject="We have received the referral for {person_name} (reference {reference})",
        body=(
            "{greeting}\n\n"
            "{register} has received the referral for {person_name}. "
            "The reference number is {reference}.\n\n"
            "{what_next} "
            "Please quote the reference number if you get in touch.{contact_paragraph}\n\n" + SIGN_OFF
        ),
        required=frozenset({"person_name", "reference", "register"}),
        optional=frozenset({"name", "consultation_due_on", "consultation_target", "contact"}),
    ),
    "referral_decision": Message(
        subject="Our decision on the referral for {person_name} (reference {reference})",
        body=(
            "{greeting}\n\n"
            "{outcome}\n\n"
            "The reason: {reason}"
            "{other_support_paragraph}\n\n"
            "Please quote the reference number {reference} if you get in touch.{contact_paragraph}\n\n"
            + SIGN_OFF
        ),
        required=frozenset({"person_name", "reference", "register", "decision", "reason"}),
        optional=frozenset({"name", "other_support", "contact"}),
    ),
    "consultation_summary": Message(
        subject="Summary of the consultation about {person_name} (reference {reference})",
        body=(
            "{greeting}\n\n"
            "Here is a summary of the consultation about {person_name}, "
            "referred to {register} (reference {reference}).\n\n"
            "{summary}\n\n" + SIGN_OFF
        ),
        required=frozenset({"person_name", "reference", "register", "summary"}),
        optional=frozenset({"name"}),
    ),
    # To a member of staff whose access changed or is waiting for approval (dsr.administration.services):
    # about their own account only, never about a person on the register.
    "access_changed": Message(
        subject="A change to your access to the Dynamic Support Register",
        body=(
            "{greeting}\n\n"
            "{change}\n\n"
            "If you did not expect this, tell your information governance officer straight away.\n\n"
            + SIGN_OFF
        ),
        required=frozenset({"register", "change"}),
        optional=frozenset({"name"}),
    ),
    # To each IG officer of a register, the morning after a day with signs of unusual access
    # (dsr.governance.digest): counts and a link only, never a name, an NHS number or anything typed.
    "unusual_access": Message(
        subject="Unusual access to {register} on {day}",
        body=(
            "{greeting}\n\n"
            "On {day} the register noticed access that you may want to look into:\n\n"
            "{counts}\n\n"
            "See who it was, and the events in the audit trail behind each, here (you will be asked to sign "
            "in): {link}\n\n"
            "These are signs to look into, not proof that anything was wrong.\n\n" + SIGN_OFF
        ),
        required=frozenset({"register", "day", "counts", "link"}),
        optional=frozenset({"name"}),
    ),
}

# The referral's decision (dsr.referrals.models.Referral.Decision values), in the family's words.
OUTCOMES = {
    "accepted": "{person_name} has been added to the Dynamic Support Register ({register}). "
    "The register's coordinator will be in touch about the support that is planned.",
    "declined": "{person_name} has not been added to the Dynamic Support Register ({register}).",
    "more_information": "We need more information before we can decide about the referral for "
    "{person_name}. The register's coordinator will contact you to ask for it.",
}


def render(template: str, personalisation: Mapping[str, str]) -> tuple[str, str]:
    """The subject and body of a message; ValueError for an unknown template or missing details."""
    try:
        message = MESSAGES[template]
    except KeyError as error:
        raise ValueError(f"No message template called {template!r}") from error
    values = {name: str(value).strip() for name, value in personalisation.items()}
    missing = sorted(name for name in message.required if not values.get(name))
    unknown = sorted(set(values) - message.required - message.optional)
    if missing or unknown:
        raise ValueError(f"Message {template!r}: missing {missing}, not used {unknown}")
    for name in message.optional:
        values.setdefault(name, "")
    values["greeting"] = f"Hello {values['name']}," if values["name"] else "Hello,"
    # A referral's receipt says by when a conversation is offered, and both referral messages whom to
    # contact, when the caller gives them (the register's target and its team's contact details).
    due, target = values.get("consultation_due_on"), values.get("consultation_target")
    values["what_next"] = (
        f"A coordinator will look at the referral and aim to offer a conversation about it by {due}"
        + (f" (within {target} of receiving it)" if target else "")
        + ". We will tell you what was decided and why."
        if due
        else "A coordinator will look at the referral and contact you about what happens next."
    )
    contact = values.get("contact")
    values["contact_paragraph"] = f"\n\nTo contact the team: {contact}" if contact else ""
    if template == "referral_decision":
        try:
            outcome = OUTCOMES[values["decision"]]
        except KeyError as error:
            raise ValueError(f"No wording for the decision {values['decision']!r}") from error
        values["outcome"] = outcome.format_map(values)
        other = values["other_support"]
        values["other_support_paragraph"] = f"\n\nOther support that may help: {other}" if other else ""
    subject = " ".join(message.subject.format_map(values).split())
    return subject, message.body.format_map(values)

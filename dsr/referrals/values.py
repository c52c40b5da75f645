"""A referral's answers, as the referral services take them (dsr.referrals.services)."""

import dataclasses
import datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReferralAnswers:
    """What the person making a referral told us: who they are, who needs support and how to reach
    them, their diagnosis, what is happening, and the consent to refer."""

    route: str
    helper_relationship: str = ""
    given_name: str
    family_name: str
    date_of_birth: datetime.date
    nhs_number: str = ""
    address: str = ""
    postcode: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    autism: str
    learning_disability: str
    waiting_since: datetime.date | None = None
    services_involved: str = ""
    concerns: tuple[str, ...] = ()
    concerns_detail: str = ""
    referrer_name: str = ""
    referrer_role: str = ""
    referrer_organisation: str = ""
    referrer_email: str = ""
    referrer_phone: str = ""
    consent_given_by: str
    consent_given_by_name: str
    consent_given_on: datetime.date
    consent_method: str


# The answers' names, in the order the form asks them.
REFERRAL_FIELDS = [field.name for field in dataclasses.fields(ReferralAnswers)]

"""Finding a person by what a user types: an NHS number, or their names."""

from django.db.models import Q, QuerySet

from dsr.people import nhs_number
from dsr.people.models import Person

# Words of a name search that are looked for; more are ignored, so a long paste stays one quick query.
MOST_WORDS = 5


def matching(people: QuerySet[Person], typed: str) -> QuerySet[Person]:
    """The people whose NHS number starts with the digits typed (spaces and dashes ignored), or whose
    given, family or preferred name contains every word typed."""
    digits = nhs_number.normalise(typed)
    if digits.isdigit():
        return people.filter(nhs_number__startswith=digits)
    for word in typed.split()[:MOST_WORDS]:
        people = people.filter(
            Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
        )
    return people

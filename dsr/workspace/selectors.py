"""Reads of person data, always starting from the user's scope."""

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from dsr import person_page
from dsr.access import Scope
from dsr.actions.selectors import with_overdue_actions
from dsr.dates import today
from dsr.people.models import Involvement, Person
from dsr.registers.members import member_choices
from dsr.registers.policy import CHANGES_RECORD, roles_that_may
from dsr.reviews.selectors import with_requirement_facts


def current_keyworkers() -> QuerySet[Involvement]:
    """The current keyworkers of the person in an outer, already scoped query (a correlated subquery)."""
    return Involvement.objects.filter(person=OuterRef("pk"), is_keyworker=True, ended_on__isnull=True)


def working_list(scope: Scope) -> QuerySet[Person]:
    """People on the register lists the user may see who are on the register: what the list filters, sorts,
    counts and pages through, without what each row shows (`with_row_details`), so that those queries stay
    lean."""
    return scope.listed_people().filter(status=Person.Status.ACTIVE)


def with_row_details(scope: Scope, people: QuerySet[Person]) -> QuerySet[Person]:
    """People of the register list with what each row shows: their keyworker, whether the user may open
    the record, what their rating requires and their overdue actions, as subqueries (one query)."""
    keyworker = current_keyworkers().order_by("started_on")
    openable = scope.people().filter(pk=OuterRef("pk"))
    people = people.select_related("register").annotate(
        keyworker_name=Subquery(keyworker.values("name")[:1]), openable=Exists(openable)
    )
    return with_overdue_actions(with_requirement_facts(people, today()), today())


def list_rows(scope: Scope, ids: list) -> list[Person]:
    """The register list's rows of these people (one page of `working_list`, as ids), in the same order.
    Paging through ids first and then asking for the details of the page's people alone keeps a deep page
    as quick as the first: the row subqueries never run for the rows a page skips."""
    rows = {person.pk: person for person in with_row_details(scope, working_list(scope).filter(pk__in=ids))}
    return [rows[pk] for pk in ids if pk in rows]


def rating_counts(people: QuerySet[Person]) -> dict[str, int]:
    """How many people have each rating, in one query."""
    rows = people.order_by().values("current_rating").annotate(n=Count("pk"))
    return {row["current_rating"]: row["n"] for row in rows}


def keyworkers_for(scope: Scope) -> list[tuple[str, str]]:
    """Keyworkers in the user's registers, for the list filter."""
    return member_choices(scope.registers, roles=roles_that_may("have_own_caseload"))


def person_record(scope: Scope, person_id) -> Person:
    """Everything on a person's page, in a fixed number of queries whatever its length: the person, and
    what each section of the page prefetches (dsr.person_page)."""
    queryset = (
        scope.people().select_related("register", "circumstances").prefetch_related(*person_page.prefetches())
    )
    return scope.person(person_id, queryset=queryset)


# What a person's page asks the scope about: every change to the record, and who has looked at it.
PERSON_ACTIONS = sorted(CHANGES_RECORD | {"see_who_viewed"})

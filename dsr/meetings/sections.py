"""The oversight panel and the meetings that discussed the person, on their page (dsr.person_page)."""

from django.db.models import Prefetch

from dsr import person_page
from dsr.meetings.models import AgendaItem
from dsr.meetings.selectors import minutes_of_person

person_page.register(
    person_page.Section(
        key="escalations",
        shows=("meetings.escalation",),
        heading="Oversight panel",
        template="meetings/_escalations_section.jinja",
        order=40,
        prefetch=("escalations",),
        present=lambda page: {"escalations": list(page.person.escalations.all())},
    )
)
person_page.register(
    person_page.Section(
        key="meetings",
        shows=("meetings.agendaitem",),
        heading="Meetings",
        template="meetings/_meetings_section.jinja",
        order=110,
        prefetch=(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("meeting").order_by(
                    "-meeting__held_on", "position"
                ),
            ),
        ),
        present=lambda page: dict(
            zip(
                ("meeting_items", "earlier"),
                person_page.recent(page, minutes_of_person(page.person)),
                strict=True,
            )
        ),
    )
)

"""Actions on a person's page (dsr.person_page)."""

from dsr import person_page
from dsr.actions.selectors import for_person_page

person_page.register(
    person_page.Section(
        key="actions",
        shows=("actions.action",),
        heading="Actions",
        template="actions/_person_section.jinja",
        order=30,
        prefetch=("actions",),
        present=lambda page: {"actions": for_person_page(page.scope, page.person, page.on)},
    )
)

"""Documents and who has looked at the record, on a person's page (dsr.person_page)."""

from django.db.models import Prefetch

from dsr import person_page
from dsr.audit.selectors import recent_access
from dsr.documents.models import Document

person_page.register(
    person_page.Section(
        key="documents",
        shows=("governance.document",),
        heading="Documents",
        template="governance/_documents_section.jinja",
        order=120,
        prefetch=(Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),),
    )
)
person_page.register(
    person_page.Section(
        key="access",
        heading="Who has looked at this record",
        template="governance/_access_section.jinja",
        order=140,
        present=lambda page: {"recent_access": list(recent_access(page.person))},
        shown_to="see_who_viewed",
    )
)

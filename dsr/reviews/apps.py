from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "dsr.reviews"
    label = "reviews"
    verbose_name = "Reviews: C(E)TRs, LAEPs and oversight visits"

    def ready(self) -> None:
        from dsr.reviews import record_kinds, sections  # noqa: F401 (registers the app's person records and page sections)
        from dsr.reviews.services import keep_due_dates_with_changes

        keep_due_dates_with_changes()

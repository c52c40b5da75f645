from django.urls import path

from dsr.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.new_meeting, name="new"),
    path("<uuid:meeting_id>/", views.meeting_agenda, name="agenda"),
    path("<uuid:meeting_id>/details/", views.meeting_details, name="details"),
    path("<uuid:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("<uuid:meeting_id>/run/", views.run, name="run"),
    path("<uuid:meeting_id>/items/<uuid:item_id>/", views.item, name="item"),
    path("<uuid:meeting_id>/items/<uuid:item_id>/autosave/", views.autosave, name="autosave"),
    path("<uuid:meeting_id>/finish/", views.finish, name="finish"),
    path("<uuid:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:meeting_id>/minutes/", views.minutes_page, name="minutes"),
    path("<uuid:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("people/<uuid:person_id>/escalate/", views.escalate_person, name="escalate"),
    path(
        "people/<uuid:person_id>/escalations/<uuid:escalation_id>/close/",
        views.close_escalation,
        name="close_escalation",
    ),
]

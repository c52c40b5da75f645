from django.urls import path

from dsr.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<uuid:notification_id>/", views.notification_detail, name="detail"),
]

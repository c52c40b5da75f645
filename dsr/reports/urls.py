from django.urls import path

from dsr.reports import views

app_name = "reports"

urlpatterns = [path("", views.summary, name="summary")]

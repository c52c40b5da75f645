from django.urls import path

from dsr.operations import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

from django.urls import path

from dsr.actions import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.my_actions, name="mine"),
    path("people/<uuid:person_id>/actions/add/", views.add_action, name="add"),
    path("people/<uuid:person_id>/actions/<uuid:action_id>/", views.update_action, name="update"),
]

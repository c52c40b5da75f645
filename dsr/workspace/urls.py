from django.urls import path

from dsr.registers import idle
from dsr.workspace import home as views

urlpatterns = [
    path("", views.home, name="home"),
    path("today/", views.today_page, name="today"),
    path("register/switch/", views.switch_register, name="switch_register"),
    path("sign-out/", views.logout, name="logout"),
    path("session/", idle.session_status, name="session_status"),
    path("session/keep-alive/", idle.keep_alive, name="session_keep_alive"),
]

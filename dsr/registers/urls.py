from django.urls import path

from dsr.registers import views

urlpatterns = [
    path("", views.home, name="home"),
    path("register/switch/", views.switch_register, name="switch_register"),
    path("sign-in/", views.login, name="login"),
    path("sign-out/", views.logout, name="logout"),
]

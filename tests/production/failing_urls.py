"""The project's URLs and one page that always fails, to see the error page a user would get."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path


@login_not_required
def fails(request):
    raise RuntimeError("Something the code did not expect")


urlpatterns = [path("fails/", fails), path("", include("config.urls"))]
handler404 = "dsr.operations.errors.not_found"
handler500 = "dsr.operations.errors.server_error"

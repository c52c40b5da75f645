from django.conf import settings


def demo(request) -> dict:
    """Every page of a demonstration says so."""
    return {"demo_mode": settings.DEMO_MODE}

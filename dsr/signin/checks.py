"""`check --deploy` refuses a demonstration's settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_is_not_for_production(app_configs, **kwargs) -> list[Error]:
    if not settings.DEMO_MODE:
        return []
    return [
        Error(
            "DEMO_MODE is on: the demo's users may sign in without a second factor.",
            hint="Unset DEMO_MODE. It is for `make run` on a laptop, never for real people's records.",
            id="signin.E001",
        )
    ]

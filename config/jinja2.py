"""The Jinja2 environment: NHS.UK design-system macros plus Django's URL and static helpers."""

import contextlib

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemBytecodeCache, PackageLoader

from dsr import design_system
from dsr.dates import format_date, format_datetime, today
from dsr.plurals import counted
from dsr.submissions.once import form_token_input


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader(
        [options["loader"], PackageLoader("nhsuk_frontend_jinja", package_path="templates")]
    )
    options.setdefault("autoescape", True)
    if not options.get("auto_reload", True):
        # Without DEBUG templates do not change while the server runs: each worker keeps them compiled, and
        # keeps the compiled code on disk (in its own directory under the system's temporary one) so that a
        # worker started later loads it instead of compiling again, which takes a fifth of a second for a
        # person's page. Where no temporary directory can be written (a read-only container, say), each
        # worker compiles them itself, as it would anyway.
        with contextlib.suppress(OSError, RuntimeError):
            options.setdefault("bytecode_cache", FileSystemBytecodeCache())
    env = Environment(**options)  # noqa: S701 (autoescape is on)
    env.globals.update(
        static=static,
        # The design system's icons and manifest, under the folder its stylesheet also points to.
        nhsuk_asset_path=f"{settings.STATIC_URL}vendor/nhsuk/assets",
        today=today,
        url=url,
        form_token_input=form_token_input,
        field=design_system.field_params,
        date_field=design_system.date_params,
        choice_field=design_system.choice_params,
        error_summary=design_system.error_summary_params,
        remembered=design_system.remembered,
    )
    env.filters.update(date=format_date, datetime=format_datetime, json_script=json_script, counted=counted)
    return env

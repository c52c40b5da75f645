"""Documents as PDF (WeasyPrint): subject access packs and meeting minutes.

A PDF of person data is built only from the HTML given: WeasyPrint is refused any fetch (no images,
stylesheets or fonts from a URL), so nothing leaves the server and nothing outside can change it.
"""

from typing import Any

from django.template.loader import render_to_string


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"A PDF of the register loads nothing from outside: {url}")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a self-contained template (its styles inline) to an A4 PDF."""
    from weasyprint import HTML  # slow to import; only PDFs need it

    return HTML(string=render_to_string(template, context), url_fetcher=_refuse_fetch).write_pdf()

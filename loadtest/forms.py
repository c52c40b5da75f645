"""The form on a page of the register, filled in as a person would fill it in a browser."""

from __future__ import annotations

import datetime
import random
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


class PageForm(HTMLParser):
    """The page's own form (not the header's sign-out button): where it posts and what it holds."""

    def __init__(self, page: str):
        super().__init__()
        self.action: str | None = None
        self.attributes: dict[str, str] = {}
        self.values: list[tuple[str, str]] = []  # hidden and text inputs, as the page filled them in
        self.choices: dict[str, list[str]] = {}  # radio buttons and checkboxes: the values offered
        self.checked: dict[str, list[str]] = {}
        self.texts: list[str] = []  # text areas
        self._in_form = False
        self._found = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if (
            tag == "form"
            and not self._found
            and a.get("method") == "post"
            and a.get("action") != "/sign-out/"
        ):
            self._in_form = self._found = True
            self.action, self.attributes = a.get("action") or None, a
        elif self._in_form and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.choices.setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    self.checked.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.values.append((a["name"], a.get("value", "")))
        elif self._in_form and tag == "textarea" and a.get("name"):
            self.texts.append(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False

    def filled(self, answers: dict[str, str | list[str]]) -> str:
        """The form as a person would send it: their answers, and what the page filled in for the rest."""
        data: list[tuple[str, str]] = [(name, str(answers.get(name, value))) for name, value in self.values]
        data += [(name, str(answers.get(name, ""))) for name in self.texts]
        for name, offered in self.choices.items():
            chosen = answers.get(name, self.checked.get(name) or [random.choice(offered)])
            data += [(name, value) for value in ([chosen] if isinstance(chosen, str) else chosen)]
        return urlencode(data)


# What a browser says it sends when it posts a form.
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


def path_of(location: str) -> str:
    """The address a redirect leads to, on this server (Django's redirects may give the host too)."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def date_answer(name: str, on: datetime.date) -> dict[str, str]:
    """A date as typed into the design system's three boxes: day, month and year."""
    return {f"{name}[day]": str(on.day), f"{name}[month]": str(on.month), f"{name}[year]": str(on.year)}

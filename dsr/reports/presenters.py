"""Turn a register's disclosed figures into the parameters of the NHS.UK table macro."""

from typing import Any

from dsr.reports.disclosure import Figure
from dsr.reports.selectors import RegisterFigures


def figures_table(figures: RegisterFigures) -> dict[str, Any]:
    """One row per measure, with the number of people beside it as it may be shown."""
    measures = [
        ("On the register", figures.total),
        *((f"Rated {rating.label.lower()}", figure) for rating, figure in figures.ratings),
        ("Children and young people (under 18)", figures.children),
        ("Adults", figures.adults),
        ("Overdue for review", figures.overdue),
        ("In hospital now", figures.in_hospital),
    ]
    return {
        "caption": {"text": f"Figures for {figures.register.name}", "classes": "nhsuk-u-visually-hidden"},
        "firstCellIsHeader": True,
        "head": [{"text": "Measure"}, {"text": "People", "format": "numeric"}],
        "rows": [[{"text": label}, _cell(figure)] for label, figure in measures],
    }


def _cell(figure: Figure) -> dict[str, str]:
    cell = {"text": figure.shown, "format": "numeric"}
    if figure.suppressed:
        cell["visuallyHiddenText"] = "(hidden to protect privacy)"
    return cell

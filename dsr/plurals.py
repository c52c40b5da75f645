"""Counts that agree in number, as people write them: "1 day", "2 days", "1 person", "3 people"."""

# Nouns whose plural is not the noun with an "s".
IRREGULAR = {"person": "people", "child": "children", "inquiry": "inquiries", "enquiry": "enquiries"}


def plural(noun: str) -> str:
    """The plural of a noun: "day" → "days", "person" → "people"."""
    return IRREGULAR.get(noun) or f"{noun}s"


def counted(number: int, noun: str, noun_plural: str = "") -> str:
    """A number and its noun, agreeing: counted(1, "day") is "1 day", counted(2, "day") is "2 days"."""
    return f"{number} {noun if number == 1 else noun_plural or plural(noun)}"

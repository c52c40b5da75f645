"""The hazard log is complete and every software control it claims is proved by a test that exists.

docs/clinical-safety/hazard-log.md lists each hazard as a `## H-NN: title` section with its causes, effect,
harm, initial risk, controls and residual risk. A software control names the tests that prove it as
`tests/path/file.py::test_name`; this module reads those files (without running or importing them) and
fails when a named test is not there. It also checks the links between the assessment documents.
"""

import ast
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HAZARD_LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
ASSESSMENT_DOCUMENTS = [
    *sorted((ROOT / "docs" / "clinical-safety").glob("*.md")),
    *sorted((ROOT / "docs" / "data-protection").glob("*.md")),
    ROOT / "docs" / "security.md",
    ROOT / "SECURITY.md",
]

LIKELIHOODS = ["Very low", "Low", "Medium", "High", "Very high"]
SEVERITIES = ["Minor", "Significant", "Considerable", "Major", "Catastrophic"]
# DCB0129's risk matrix: the risk class for each likelihood (row) and severity (column).
MATRIX = {
    "Very high": [3, 4, 4, 5, 5],
    "High": [2, 3, 3, 4, 5],
    "Medium": [2, 2, 3, 3, 4],
    "Low": [1, 2, 2, 3, 4],
    "Very low": [1, 1, 2, 2, 3],
}
MINIMUM_HAZARDS = 20

HEADING = re.compile(r"^## (H-\d{2}): (.+)$", re.MULTILINE)
FIELD = re.compile(r"^- \*\*(?P<name>[^*]+):\*\*\s*(?P<value>.*)$")
RISK = re.compile(
    rf"^(?P<likelihood>{'|'.join(LIKELIHOODS)}) × (?P<severity>{'|'.join(SEVERITIES)}) → (?P<cls>\d)$"
)
TEST_REFERENCE = re.compile(r"`(tests/[^`\s]+?\.py)::([^`\s]+)`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


@dataclass
class Risk:
    likelihood: str
    severity: str
    stated_class: int

    @property
    def matrix_class(self) -> int:
        return MATRIX[self.likelihood][SEVERITIES.index(self.severity)]


@dataclass
class Hazard:
    id: str
    title: str
    fields: dict[str, str] = field(default_factory=dict)
    causes: list[str] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)

    def risk(self, name: str) -> Risk | None:
        found = RISK.match(self.fields.get(name, "").strip())
        if found is None:
            return None
        return Risk(found["likelihood"], found["severity"], int(found["cls"]))


def _items(lines: list[str]) -> list[str]:
    """The sub-list under a field: each `  - ` item, with its indented continuation lines joined on."""
    items: list[str] = []
    for line in lines:
        if line.startswith("  - "):
            items.append(line[4:].strip())
        elif line.startswith("    ") and items:
            items[-1] += " " + line.strip()
    return items


def parse(text: str) -> list[Hazard]:
    hazards = []
    headings = list(HEADING.finditer(text))
    for number, heading in enumerate(headings):
        end = headings[number + 1].start() if number + 1 < len(headings) else len(text)
        # A hazard's section ends at the next heading of any level.
        body = re.split(r"^#{1,6} ", text[heading.end() : end], maxsplit=1, flags=re.MULTILINE)[0]
        hazard = Hazard(id=heading[1], title=heading[2].strip())
        name, under = None, []
        for line in [*body.splitlines(), "- **end:**"]:
            found = FIELD.match(line)
            if found:
                if name is not None:
                    hazard.fields[name] = hazard.fields[name] or " ".join(under)
                    if name == "Causes":
                        hazard.causes = _items(under)
                    if name == "Controls":
                        hazard.controls = _items(under)
                name, under = found["name"], []
                hazard.fields[name] = found["value"].strip()
            elif name is not None:
                under.append(line)
        hazards.append(hazard)
    return hazards


@functools.cache
def hazards() -> list[Hazard]:
    return parse(HAZARD_LOG.read_text(encoding="utf-8"))


@functools.cache
def defined_tests(path: str) -> frozenset[str]:
    """The test functions a file defines at module level or in a class: `name` and `Class::name`."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.update({member.name, f"{node.name}::{member.name}"})
    return frozenset(names)


def test_the_log_has_at_least_twenty_hazards_with_unique_ids_in_order():
    ids = [hazard.id for hazard in hazards()]
    assert len(ids) >= MINIMUM_HAZARDS
    assert ids == [f"H-{number:02d}" for number in range(1, len(ids) + 1)]


def test_every_hazard_has_causes_an_effect_a_harm_and_both_risks():
    incomplete = {
        hazard.id: missing
        for hazard in hazards()
        if (
            missing := [name for name in ("Effect", "Harm") if not hazard.fields.get(name, "").strip()]
            + ([] if hazard.causes else ["Causes"])
            + [name for name in ("Initial risk", "Residual risk") if hazard.risk(name) is None]
        )
    }
    assert incomplete == {}


def test_every_risk_class_follows_from_the_matrix():
    wrong = [
        f"{hazard.id} {name}: {risk.likelihood} × {risk.severity} is class {risk.matrix_class}, "
        f"not {risk.stated_class}"
        for hazard in hazards()
        for name in ("Initial risk", "Residual risk")
        if (risk := hazard.risk(name)) is not None and risk.stated_class != risk.matrix_class
    ]
    assert wrong == []


def test_no_residual_risk_is_higher_than_the_initial_risk():
    higher = [
        hazard.id
        for hazard in hazards()
        if (initial := hazard.risk("Initial risk"))
        and (residual := hazard.risk("Residual risk"))
        and (
            residual.stated_class > initial.stated_class
            or LIKELIHOODS.index(residual.likelihood) > LIKELIHOODS.index(initial.likelihood)
            or SEVERITIES.index(residual.severity) > SEVERITIES.index(initial.severity)
        )
    ]
    assert higher == []


def test_every_hazard_has_a_control_and_each_says_whether_it_is_software_or_deployment():
    assert [hazard.id for hazard in hazards() if not hazard.controls] == []
    unmarked = [
        f"{hazard.id}: {control[:60]}"
        for hazard in hazards()
        for control in hazard.controls
        if not control.startswith(("Software:", "Deployment/training:"))
    ]
    assert unmarked == []


def test_every_software_control_names_the_tests_that_prove_it():
    untested = [
        f"{hazard.id}: {control[:60]}"
        for hazard in hazards()
        for control in hazard.controls
        if control.startswith("Software:") and ("Tests:" not in control or not TEST_REFERENCE.search(control))
    ]
    assert untested == []


def test_every_test_the_log_names_exists():
    references = {
        (path, name)
        for hazard in hazards()
        for control in hazard.controls
        for path, name in TEST_REFERENCE.findall(control)
    }
    assert references
    missing = sorted(
        f"{path}::{name}"
        for path, name in references
        if not (ROOT / path).is_file() or name.split("[")[0] not in defined_tests(path)
    )
    assert missing == []


def test_the_summary_table_agrees_with_the_hazards():
    text = HAZARD_LOG.read_text(encoding="utf-8")
    summary = {
        found[1]: (int(found[2]), int(found[3]))
        for found in re.finditer(r"^\| (H-\d{2}) \| (\d) \| (\d) \|$", text, re.MULTILINE)
    }
    sections = {
        hazard.id: (hazard.risk("Initial risk").stated_class, hazard.risk("Residual risk").stated_class)
        for hazard in hazards()
    }
    assert summary == sections


def anchors(document: Path) -> set[str]:
    """The anchors a Markdown file's headings get, as GitHub makes them."""
    headings = re.findall(r"^#{1,6} (.+)$", document.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def reaches(document: Path, target: str) -> bool:
    path, _, anchor = target.partition("#")
    linked = (document.parent / path) if path else document
    if not linked.exists():
        return False
    return not anchor or linked.suffix != ".md" or anchor in anchors(linked)


@pytest.mark.parametrize("document", ASSESSMENT_DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_links_between_the_assessment_documents_reach_files_that_exist(document):
    assert document.is_file()
    broken = [
        target
        for target in LINK.findall(document.read_text(encoding="utf-8"))
        if not target.startswith(("http://", "https://", "mailto:")) and not reaches(document, target)
    ]
    assert broken == []


def test_the_parser_reads_a_hazard_and_its_controls():
    sample = """## H-01: A sample

- **Causes:**
  - One cause.
- **Effect:** An effect.
- **Harm:** A harm.
- **Initial risk:** Medium × Major → 3
- **Controls:**
  - Software: A control. Tests: `tests/test_hazard_log.py::test_the_parser_reads_a_hazard_and_its_controls`,
    `tests/test_dates.py::test_age_is_counted_in_completed_years`
  - Deployment/training: Training.
- **Residual risk:** Low × Major → 3
"""
    (hazard,) = parse(sample)
    assert hazard.causes == ["One cause."]
    assert hazard.risk("Initial risk") == Risk("Medium", "Major", 3)
    assert len(hazard.controls) == 2
    assert TEST_REFERENCE.findall(hazard.controls[0])[1] == (
        "tests/test_dates.py",
        "test_age_is_counted_in_completed_years",
    )

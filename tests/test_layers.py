"""The apps' layers (docs/adr/0017-layers.md): every package under dsr/ has its place in the import
contract, so a new app cannot land without being put in a layer, and the contract holds."""

import configparser
import re
import subprocess
import sys
from pathlib import Path

import dsr

ROOT = Path(dsr.__file__).parent.parent
CONTRACT = ROOT / ".importlinter"


def layered_modules() -> set[str]:
    config = configparser.ConfigParser()
    config.read(CONTRACT)
    layers = config["importlinter:contract:layers"]["layers"]
    names = (name.strip("() ") for line in layers.splitlines() for name in re.split(r"[|:]", line))
    return {name for name in names if name}


def top_level_modules() -> set[str]:
    here = Path(dsr.__file__).parent
    packages = {f"dsr.{path.parent.name}" for path in here.glob("*/__init__.py")}
    modules = {f"dsr.{path.stem}" for path in here.glob("*.py") if path.stem != "__init__"}
    return packages | modules


def test_every_app_and_module_under_dsr_has_a_layer():
    assert top_level_modules() - layered_modules() == set()
    assert layered_modules() - top_level_modules() == set()  # and the contract names nothing gone


def test_no_app_imports_a_layer_above_it():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--config", str(CONTRACT)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout

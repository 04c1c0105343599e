"""The stats page's pictures: static SVG charts drawn at build time, no script anywhere, and
the bars of its ranked lists, which the page draws in HTML so their text reads on a phone."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from generator.enrich.taxonomy import Tag
from generator.model import Paper

SVG = "http://www.w3.org/2000/svg"
# Mid-tone colours read on both the light and the dark palette (the SVGs are images,
# so they cannot follow the theme's colour variables).
BAR = "#5c6bc0"
REST = "#9e9e9e"
TEXT = "#7f7f7f"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
TOP_ORGANISATIONS = 10
LABEL_CHARS = 38
# The timeline drawn for phones: as wide as a 390 px screen's column, so its 12 px labels
# stay 12 px (the wide one, up to ~770 px, shrinks to half on a phone: 6 px text).
NARROW_WIDTH = 360
# The narrow timeline labels years alone, at least this far apart (a label is ~28 px).
NARROW_LABEL_GAP = 40


@dataclass(frozen=True)
class Chart:
    """One picture: its file name under stats/, what it shows, and the SVG text."""

    file: str
    alt: str
    svg: str
    width: int
    height: int


@dataclass(frozen=True)
class Bar:
    """A row of a ranked list: its label, count, length (% of the longest) and tag slug if any."""

    label: str
    count: int
    share: float
    slug: str | None = None


def bars(rows: list[tuple[str, int]], slugs: dict[str, str] | None = None) -> list[Bar]:
    """Rows as bars scaled to the largest count; ``slugs`` names the tag page of a label."""
    peak = max((count for _, count in rows), default=0)
    slugs = slugs or {}
    return [Bar(label, count, round(100 * count / peak, 1) if peak else 0.0, slugs.get(label))
            for label, count in rows]


def _svg(width: int, height: int, title: str) -> ET.Element:
    """An empty SVG canvas with an accessible title."""
    root = ET.Element("svg", {
        "xmlns": SVG, "width": str(width), "height": str(height),
        "viewBox": f"0 0 {width} {height}", "role": "img", "font-family": FONT, "font-size": "12",
    })
    ET.SubElement(root, "title").text = title
    return root


def _chart(file: str, alt: str, root: ET.Element) -> Chart:
    """A drawn canvas as a chart, its size read from the canvas."""
    return Chart(file, alt, _serialise(root), int(root.get("width")), int(root.get("height")))


def _text(parent: ET.Element, x: float, y: float, text: str, **attributes: str) -> None:
    """A label; ElementTree escapes it, so any organisation or tag name stays text."""
    element = ET.SubElement(parent, "text", {"x": f"{x:g}", "y": f"{y:g}", "fill": TEXT,
                                              **attributes})
    element.text = text


def _serialise(root: ET.Element) -> str:
    """The SVG as a standalone XML document."""
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _short(label: str) -> str:
    """A label cut to fit beside its bar."""
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def months_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """Every (year, month) from the first date's month to the last's, gaps included."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def papers_per_month(papers: list[Paper], narrow: bool = False) -> Chart:
    """Vertical bars: dated papers per publication month, empty months shown.

    ``narrow``: the phone's picture, NARROW_WIDTH wide whatever the span, labelled by year.
    """
    counts = Counter((paper.date.year, paper.date.month) for paper in papers if paper.date)
    dates = [paper.date for paper in papers if paper.date]
    months = months_between(min(dates), max(dates)) if dates else []
    left, top, plot, right = 36, 16, 160, 16
    if narrow:
        step: float = (NARROW_WIDTH - left - right) / max(1, len(months))
        width = NARROW_WIDTH
    else:
        step = max(6, min(24, 720 // max(1, len(months))))
        width = left + int(step) * max(1, len(months)) + right
    height = top + plot + 40
    title = f"Papers per month: {len(dates)} dated papers over {len(months)} months"
    root = _svg(width, height, title)
    peak = max(counts.values(), default=0)
    _text(root, left - 6, top + 4, str(peak), **{"text-anchor": "end"})
    _text(root, left - 6, top + plot, "0", **{"text-anchor": "end"})
    ET.SubElement(root, "line", {"x1": str(left), "y1": str(top + plot), "x2": str(width - right),
                                 "y2": str(top + plot), "stroke": REST})
    labels = _year_labels(months, step) if narrow else {
        index: f"{dt.date(year, month, 1):%b %Y}"
        for index, (year, month) in enumerate(months) if month == 1 or index == 0}
    for index, (year, month) in enumerate(months):
        count = counts.get((year, month), 0)
        x = left + index * step
        bar = round(plot * count / peak) if peak else 0
        if count:
            rect = ET.SubElement(root, "rect", {
                "x": f"{x + min(1, step / 6):.4g}", "y": str(top + plot - bar),
                "width": f"{max(0.5, step - min(2, step / 3)):.4g}", "height": str(bar), "fill": BAR,
            })
            ET.SubElement(rect, "title").text = f"{dt.date(year, month, 1):%B %Y}: {count}"
        if index in labels:
            _text(root, round(x, 2), top + plot + 16, labels[index])
    name = "papers-per-month-narrow.svg" if narrow else "papers-per-month.svg"
    return _chart(name, title, root)


def _year_labels(months: list[tuple[int, int]], step: float) -> dict[int, str]:
    """The narrow timeline's labels by month index: Januaries, every k-th year so that two
    stay NARROW_LABEL_GAP apart; a span without a January names its first month."""
    januaries = [index for index, (_, month) in enumerate(months) if month == 1]
    if not januaries:
        return {0: f"{dt.date(*months[0], 1):%b %Y}"} if months else {}
    every = max(1, math.ceil(NARROW_LABEL_GAP / (12 * step)))
    return {index: str(months[index][0]) for index in januaries[::every]}


def horizontal_bars(file: str, title: str, rows: list[tuple[str, int]]) -> Chart:
    """Labelled horizontal bars, longest first, with the count at each bar's end."""
    label_width, bar_width, row_height = 250, 300, 22
    width, height = label_width + bar_width + 50, 10 + row_height * max(1, len(rows))
    root = _svg(width, height, title)
    peak = max((count for _, count in rows), default=0)
    for index, (label, count) in enumerate(rows):
        y = 5 + index * row_height
        _text(root, label_width - 8, y + 15, _short(label), **{"text-anchor": "end"})
        length = round(bar_width * count / peak) if peak else 0
        ET.SubElement(root, "rect", {"x": str(label_width), "y": str(y + 3),
                                     "width": str(max(1, length)), "height": str(row_height - 6),
                                     "fill": BAR})
        _text(root, label_width + length + 6, y + 15, str(count))
    return _chart(file, title, root)


def tag_sizes(papers: list[Paper], tags: list[Tag]) -> list[tuple[str, int]]:
    """Tags and their paper counts, biggest first, ties by name."""
    counts = Counter(name for paper in papers for name in paper.tags)
    return sorted(((tag.name, counts[tag.name]) for tag in tags), key=lambda r: (-r[1], r[0]))


def top_organisations(papers: list[Paper], limit: int = TOP_ORGANISATIONS) -> list[tuple[str, int]]:
    """The organisations with the most papers, ties by name."""
    counts = Counter(paper.org for paper in papers if paper.org)
    return sorted(counts.items(), key=lambda row: (-row[1], row[0]))[:limit]


def code_share(papers: list[Paper]) -> Chart:
    """A ring: the share of papers whose abstract links code."""
    with_code = sum(paper.has_code for paper in papers)
    share = with_code / len(papers) if papers else 0.0
    title = f"Share with code: {with_code} of {len(papers)} papers ({share:.0%})"
    root = _svg(360, 160, title)
    radius, width = 60, 22
    circumference = 2 * math.pi * radius
    ring = {"cx": "80", "cy": "80", "r": str(radius), "fill": "none", "stroke-width": str(width)}
    ET.SubElement(root, "circle", {**ring, "stroke": REST})
    if with_code:
        ET.SubElement(root, "circle", {
            **ring, "stroke": BAR, "transform": "rotate(-90 80 80)",
            "stroke-dasharray": f"{circumference * share:.2f} {circumference:.2f}",
        })
    _text(root, 80, 86, f"{share:.0%}", **{"text-anchor": "middle", "font-size": "18"})
    ET.SubElement(root, "rect", {"x": "170", "y": "52", "width": "12", "height": "12",
                                 "fill": BAR})
    _text(root, 190, 62, f"{with_code} with code")
    ET.SubElement(root, "rect", {"x": "170", "y": "84", "width": "12", "height": "12",
                                 "fill": REST})
    _text(root, 190, 94, f"{len(papers) - with_code} without")
    return _chart("code-share.svg", title, root)


def stats_charts(papers: list[Paper], tags: list[Tag]) -> list[Chart]:
    """Every chart of the stats page, in page order."""
    sizes = tag_sizes(papers, tags)
    organisations = top_organisations(papers)
    return [
        papers_per_month(papers),
        papers_per_month(papers, narrow=True),
        horizontal_bars("tags.svg", f"Tags by size: {len(sizes)} tags", sizes),
        code_share(papers),
        horizontal_bars(
            "organisations.svg",
            f"Top organisations: the {len(organisations)} with the most papers", organisations,
        ),
    ]

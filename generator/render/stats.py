"""The stats page's pictures: static SVG charts drawn at build time, no script anywhere."""

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


@dataclass(frozen=True)
class Chart:
    """One picture: its file name under stats/, what it shows, and the SVG text."""

    file: str
    alt: str
    svg: str


def _svg(width: int, height: int, title: str) -> ET.Element:
    """An empty SVG canvas with an accessible title."""
    root = ET.Element("svg", {
        "xmlns": SVG, "width": str(width), "height": str(height),
        "viewBox": f"0 0 {width} {height}", "role": "img", "font-family": FONT, "font-size": "12",
    })
    ET.SubElement(root, "title").text = title
    return root


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


def papers_per_month(papers: list[Paper]) -> Chart:
    """Vertical bars: dated papers per publication month, empty months shown."""
    counts = Counter((paper.date.year, paper.date.month) for paper in papers if paper.date)
    dates = [paper.date for paper in papers if paper.date]
    months = months_between(min(dates), max(dates)) if dates else []
    step = max(6, min(24, 720 // max(1, len(months))))
    left, top, plot = 36, 16, 160
    width, height = left + step * max(1, len(months)) + 16, top + plot + 40
    title = f"Papers per month: {len(dates)} dated papers over {len(months)} months"
    root = _svg(width, height, title)
    peak = max(counts.values(), default=0)
    _text(root, left - 6, top + 4, str(peak), **{"text-anchor": "end"})
    _text(root, left - 6, top + plot, "0", **{"text-anchor": "end"})
    ET.SubElement(root, "line", {"x1": str(left), "y1": str(top + plot), "x2": str(width - 16),
                                 "y2": str(top + plot), "stroke": REST})
    for index, (year, month) in enumerate(months):
        count = counts.get((year, month), 0)
        x = left + index * step
        bar = round(plot * count / peak) if peak else 0
        if count:
            rect = ET.SubElement(root, "rect", {
                "x": str(x + 1), "y": str(top + plot - bar), "width": str(max(1, step - 2)),
                "height": str(bar), "fill": BAR,
            })
            ET.SubElement(rect, "title").text = f"{dt.date(year, month, 1):%B %Y}: {count}"
        if month == 1 or index == 0:
            _text(root, x, top + plot + 16, f"{dt.date(year, month, 1):%b %Y}")
    return Chart("papers-per-month.svg", title, _serialise(root))


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
    return Chart(file, title, _serialise(root))


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
    return Chart("code-share.svg", title, _serialise(root))


def stats_charts(papers: list[Paper], tags: list[Tag]) -> list[Chart]:
    """Every chart of the stats page, in page order."""
    sizes = tag_sizes(papers, tags)
    organisations = top_organisations(papers)
    return [
        papers_per_month(papers),
        horizontal_bars("tags.svg", f"Tags by size: {len(sizes)} tags", sizes),
        code_share(papers),
        horizontal_bars(
            "organisations.svg",
            f"Top organisations: the {len(organisations)} with the most papers", organisations,
        ),
    ]

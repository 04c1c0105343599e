"""LaTeX in titles and abstracts, read once into text, emphasis and MathML, every piece escaped.

Dump text is untrusted: a formula becomes MathML only when latex2mathml's output holds
nothing but presentation elements and plain attributes (no ``href``, ``style`` or markup
smuggled through ``\\text{}``); anything else is shown as the exact text written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree

from latex2mathml.converter import convert

# Longest formula converted, and deepest brace nesting: past these the text is shown as is
# (latex2mathml is recursive and pure Python; bounds keep a hostile abstract from hanging).
MAX_FORMULA = 400
MAX_DEPTH = 12
MAX_FORMULAS = 40
# Commands that define, include or link: never converted, whatever the engine would do.
REFUSED = re.compile(r"\\(?:def|edef|gdef|let|newcommand|renewcommand|providecommand|href|url|"
                     r"input|include|catcode|csname|expandafter|html|style|class|cssId|require)"
                     r"(?![A-Za-z])")
MATHML = "{http://www.w3.org/1998/Math/MathML}"
ELEMENTS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "mfenced", "merror",
}
ATTRIBUTES = {
    "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
    "displaystyle", "scriptlevel", "accent", "accentunder", "movablelimits", "columnalign",
    "rowspacing", "columnspacing", "minsize", "maxsize", "form", "largeop", "symmetric",
    "linethickness", "width", "height", "depth", "notation", "open", "close", "separators",
    "columnlines", "rowlines", "frame", "align", "mathcolor", "mathbackground", "mathsize",
}
# Attribute values are words, numbers with units, colours: nothing that could hold a URL.
VALUE = re.compile(r"^[\w .#%+-]{0,40}$")

# $…$ or \(…\) not preceded by a backslash; $$…$$ counts too (shown inline in a card).
# Pandoc's rule tells a formula from prices ("$5 and $10"): no space just inside the
# dollars, and no digit right after the closing one.
_MATH = re.compile(
    r"(?<!\\)(\$\$?)(?P<dollar>[^\s$](?:(?:[^$\\]|\\.){0," + str(MAX_FORMULA) + r"}?[^\s$\\])?)\1(?!\d)"
    r"|\\\((?P<paren>.{1," + str(MAX_FORMULA) + r"}?)\\\)", re.S)
# Text-mode LaTeX of real abstracts read as meant: escaped percent and ampersand, bold and
# italic. Accents (B\\'ezier) stay as written: `\\"` is as often an escaped quote as an umlaut.
_SPECIAL = re.compile(r"\\([%&])")
_EMPHASIS = re.compile(r"\\(textbf|textit|emph)\{([^{}\\$]{1,200})\}")


@dataclass(frozen=True)
class Piece:
    """A run of the text: plain ``text``, ``strong`` or ``em`` text, or a formula's MathML."""

    kind: str
    text: str
    mathml: ElementTree.Element | None = None


def _text_mode(text: str) -> list[Piece]:
    """Escaped percent and ampersand as themselves; bold and italic runs."""
    text = _SPECIAL.sub(r"\1", text)
    pieces, at = [], 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > at:
            pieces.append(Piece("text", text[at:match.start()]))
        pieces.append(Piece("strong" if match.group(1) == "textbf" else "em", match.group(2)))
        at = match.end()
    if at < len(text):
        pieces.append(Piece("text", text[at:]))
    return pieces


def _balanced(latex: str) -> bool:
    """Braces balanced and nested at most MAX_DEPTH deep (escaped braces aside)."""
    depth = 0
    for match in re.finditer(r"\\.|[{}]", latex):
        token = match.group()
        if token == "{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _checked(element: ElementTree.Element) -> bool:
    """Only presentation MathML with plain attribute values, and no command left unconverted."""
    for node in element.iter():
        if not node.tag.startswith(MATHML) or node.tag[len(MATHML):] not in ELEMENTS:
            return False
        if any(name not in ATTRIBUTES or not VALUE.match(value) for name, value in node.attrib.items()):
            return False
        # latex2mathml passes a command it does not know through as text: not rendered.
        if node.tag == f"{MATHML}mi" and (node.text or "").startswith("\\"):
            return False
    return True


@lru_cache(maxsize=4096)
def formula(latex: str) -> ElementTree.Element | None:
    """The MathML of a formula, or None when it is refused, invalid or unsupported."""
    if not latex.strip() or len(latex) > MAX_FORMULA or REFUSED.search(latex) or not _balanced(latex):
        return None
    try:
        element = ElementTree.fromstring(convert(latex))
    except Exception:  # any failure of the converter means "show the text"
        return None
    return element if _checked(element) else None


# A text is read once: templates ask whether it renders, then render it; the list data asks too.
@lru_cache(maxsize=8192)
def pieces(text: str) -> tuple[Piece, ...]:
    """The text read into runs of text, emphasis and formulas; the exact text where unsure."""
    result: list[Piece] = []
    at = 0
    for count, match in enumerate(_MATH.finditer(text)):
        if count >= MAX_FORMULAS:
            break
        latex = match.group("dollar") if match.group("dollar") is not None else match.group("paren")
        element = formula(latex)
        if element is None:
            continue  # shown as written, with the text around it
        result.extend(_text_mode(text[at:match.start()]))
        result.append(Piece("math", match.group(), element))
        at = match.end()
    result.extend(_text_mode(text[at:]))
    return tuple(result)


def has_latex(text: str) -> bool:
    """Whether rendering would change anything: a backslash or a dollar in the text."""
    return "\\" in text or "$" in text


def render(text: str, escape: Callable[[str], str]) -> str:
    """The text as HTML, every run of text passed through ``escape`` (HTML or Markdown-safe)."""
    if not has_latex(text):
        return str(escape(text))
    out = []
    for piece in pieces(text):
        if piece.kind == "math":
            out.append(_mathml(piece.mathml, escape, piece.text))
        elif piece.kind == "text":
            out.append(str(escape(piece.text)))
        else:
            out.append(f"<{piece.kind}>{escape(piece.text)}</{piece.kind}>")
    return "".join(out)


def _mathml(element: ElementTree.Element, escape: Callable[[str], str], source: str) -> str:
    """MathML from the checked tree, rebuilt by us: names from the allowlist, text escaped."""
    def build(node: ElementTree.Element, attrib: dict[str, str]) -> str:
        name = node.tag[len(MATHML):]
        attributes = "".join(f' {key}="{_attribute(value)}"' for key, value in sorted(attrib.items()))
        inner = str(escape(node.text or "")) + "".join(
            build(child, child.attrib) + str(escape(child.tail or "")) for child in node)
        return f"<{name}{attributes}>{inner}</{name}>"

    # The source as the formula's text alternative: what a screen reader or a copy gets.
    return build(element, {**element.attrib, "alttext": source})


def _attribute(text: str) -> str:
    """Text safe inside a double-quoted attribute, Markdown specials included."""
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\\", "&#92;").replace("*", "&#42;")
            .replace("_", "&#95;").replace("`", "&#96;").replace("[", "&#91;")
            .replace("]", "&#93;"))


def rendered(text: str) -> bool:
    """Whether the text shows otherwise than written (a formula, emphasis, an accent read)."""
    if not has_latex(text):
        return False
    parts = pieces(text)
    return not (len(parts) == 1 and parts[0].kind == "text" and parts[0].text == text)


Node = str | list  # text, or [name, {attribute: value}, [children]]


def tree(text: str) -> list[Node] | None:
    """The text as nodes the list script builds with DOM calls (never markup); None when it
    shows as written, so the script sets the plain text."""
    if not rendered(text):
        return None
    nodes: list[Node] = []
    for piece in pieces(text):
        if piece.kind == "text":
            nodes.append(piece.text)
        elif piece.kind == "math":
            nodes.append(_nodes(piece.mathml, {**piece.mathml.attrib, "alttext": piece.text}))
        else:
            nodes.append([piece.kind, {}, [piece.text]])
    return nodes


def _nodes(element: ElementTree.Element, attrib: dict[str, str]) -> list:
    """One checked MathML element as [name, sorted attributes, children]."""
    children: list[Node] = [element.text] if element.text else []
    for child in element:
        children.append(_nodes(child, child.attrib))
        if child.tail:
            children.append(child.tail)
    return [element.tag[len(MATHML):], dict(sorted(attrib.items())), children]

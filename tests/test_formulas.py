"""LaTeX in dump text: formulas as checked MathML, text-mode LaTeX read, everything else exact."""

from __future__ import annotations

import html

import pytest

from generator.render.formulas import ELEMENTS, MAX_FORMULA, formula, pieces, render, rendered, tree
from generator.render.templating import markdown_text
from tests.kit.pages import parse_markup


def as_html(text: str) -> str:
    return render(text, lambda run: html.escape(run, quote=False))


def tags_of(markup: str) -> list[tuple[str, dict[str, str]]]:
    """Every element and its attributes, in the order the output holds them."""
    return [(element.tag, element.attrs) for element in parse_markup(markup).elements]


@pytest.mark.parametrize(("latex", "element"), [
    (r"$\times$", "mo"), ("$A^*$", "msup"), (r"$\mathcal{O}(n)$", "mi"),
    (r"$\frac{a}{b}$", "mfrac"), (r"\(x_1\)", "msub"), (r"$$\sqrt{2}$$", "msqrt"),
])
def test_formulas_become_mathml_with_the_source_as_alttext(latex: str, element: str) -> None:
    out = as_html(f"cost {latex} here")
    names = [tag for tag, _ in tags_of(out)]
    assert names[0] == "math" and element in names
    assert html.unescape(tags_of(out)[0][1]["alttext"] or "") == latex
    assert out.startswith("cost ") and out.endswith(" here")


@pytest.mark.parametrize("text", [
    "prices from $5 to $10 a month", "a $ sign alone", "$ spaced $", "escaped \\$x\\$ dollars",
])
def test_dollars_that_are_not_formulas_stay_text(text: str) -> None:
    assert as_html(text) == html.escape(text, quote=False)


@pytest.mark.parametrize(("text", "shown"), [
    ("B\\'ezier curves", "B\\'ezier curves"), ('with \\"escaped\\" quotes', 'with \\"escaped\\" quotes'),
    ("67.1\\% and 5\\&6", "67.1% and 5&amp;6"),
    ("\\textbf{Modality Collapse} here", "<strong>Modality Collapse</strong> here"),
    ("an \\emph{idea}", "an <em>idea</em>"),
])
def test_text_mode_latex_of_real_abstracts_reads_as_meant(text: str, shown: str) -> None:
    assert as_html(text) == shown


@pytest.mark.parametrize("latex", [
    r"$\href{javascript:alert(1)}{click}$", r"$\url{javascript:alert(1)}$",
    r"$\text{<script>alert(1)</script>}$", r"$\text{<b>bold</b>}$",
    r"$\style{color:red}{x}$", r"$\def\a{\a}\a$", r"$\newcommand{\x}{\x}\x$",
    r"$\frac{1}{2$", r"$\unknowncommand{x}$", "$" + "{" * 40 + "x" + "}" * 40 + "$",
    r"$\class{x}{y}$", r"$\color{url(javascript:x)}{y}$",
])
def test_hostile_or_unsupported_latex_is_shown_exactly(latex: str) -> None:
    out = as_html(f"see {latex} now")
    assert tags_of(out) == []
    assert html.unescape(out) == f"see {latex} now"


def test_a_huge_formula_is_never_converted() -> None:
    latex = "$" + "x+" * MAX_FORMULA + "x$"
    assert tags_of(as_html(latex)) == []
    assert formula("x+" * MAX_FORMULA) is None


def test_only_allowlisted_mathml_ever_comes_out() -> None:
    text = " ".join(f"${latex}$" for latex in (
        r"\alpha", r"\sum_{i=1}^n x_i", r"\begin{matrix}a&b\\c&d\end{matrix}", r"\mathbf{v}",
        r"\color{red}{x}", r"\overline{AB}", r"\hat{y}", r"\left(\frac{a}{b}\right)"))
    for tag, attributes in tags_of(as_html(text)):
        assert tag in ELEMENTS, tag
        assert not {"href", "style", "src", "xlink:href"} & set(attributes)
        assert not any(name.startswith("on") for name in attributes)


def test_markdown_context_escapes_every_run_of_text() -> None:
    out = render(r"a *b* $x_1 * y$ _c_", markdown_text)
    assert out.startswith(r"a \*b\* <math")
    assert out.endswith(r"</math> \_c\_")
    assert "<mo>\\*</mo>" in out


def test_pieces_keep_the_exact_source_of_each_formula() -> None:
    kinds = [(piece.kind, piece.text) for piece in pieces(r"x $a^2$ y \textbf{z}")]
    assert kinds == [("text", "x "), ("math", "$a^2$"), ("text", " y "), ("strong", "z")]


def test_tree_is_what_render_writes_as_nodes() -> None:
    assert tree("plain text, no TeX") is None and not rendered("plain text")
    assert tree(r"a \$5 price") is None  # shown as written: nothing to build
    nodes = tree(r"x $a^2$ \textbf{y} 5\%")
    assert nodes == ["x ", ["math", {"alttext": "$a^2$", "display": "inline"}, [
        ["mrow", {}, [["msup", {}, [["mi", {}, ["a"]], ["mn", {}, ["2"]]]]]]]],
        " ", ["strong", {}, ["y"]], " 5%"]

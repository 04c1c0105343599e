"""One small real project shared by the curation, feed, stats and citation tests, built once for real."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import json
import shutil
import tempfile
from pathlib import Path

from generator.enrich.slugs import base_slug
from tests.kit.dumps import dump_text, paper
from tests.kit.project import generate, mkdocs_build, new_project

SITE_URL = "https://example.org/reading/"


def slug(title: str) -> str:
    """The slug a new paper gets (no clash in these small projects)."""
    return base_slug(title)


# One shared corpus: topics that cluster, curation of every kind, a hostile title, and a
# dump whose capture year is unknown.
HOSTILE = 'Attack </title><script>alert("x")</script> & \'quotes\' {{ 7*7 }}'
ROBOT_A = paper(
    "Dexterous Robot Hands Learn Grasping from Human Video",
    "We teach dexterous robot hands to grasp household objects by watching human video. "
    "The robot policy transfers grasping skills to a real robot arm with tactile sensing. "
    "Code: https://github.com/example/dexgrasp.",
    dt.date(2025, 2, 20), org="Robot Lab <Research> & Co", upvotes=12,
)
ROBOT_B = paper(
    "Tactile Grasping Policies for Robot Arms",
    "A robot arm learns grasping policies from tactile sensing and human video "
    "demonstrations, improving dexterous grasping of household objects on a real robot.",
    dt.date(2025, 2, 11), authors=4,
)
DIFFUSION_A = paper(
    "Faster Diffusion Sampling for Image Generation",
    "We cut the number of denoising steps a diffusion model needs for image generation, "
    "keeping sample quality with a new sampler for text-to-image diffusion.",
    dt.date(2025, 5, 2), org="Pixel Org", upvotes=3,
)
DIFFUSION_B = paper(
    "Guided Diffusion Models for Text-to-Image Generation",
    "Classifier-free guidance for diffusion models improves text-to-image generation; "
    "we study denoising schedules and image quality of guided diffusion sampling.",
    dt.date(2025, 6, 1), org="Pixel Org",
)
LANGUAGE = paper(
    "Reasoning in Large Language Models with Chain of Thought",
    "Large language models solve math word problems when prompted to reason step by step; "
    "we analyse chain of thought prompting and its failure modes on reasoning benchmarks.",
    dt.date(2024, 12, 30), authors=7,
)
ODD = paper(HOSTILE, "An abstract with <b>markup</b> & ampersands, $\\alpha$ and `ticks` "
                     "that must stay text: </script><!-- x -->", dt.date(2025, 6, 3), authors=2)
UNDATED = paper(
    "Speech Recognition Without Transcripts",
    "Self-supervised speech recognition learns from untranscribed audio and few labels.",
)
HIDDEN = paper(
    "Secret Robot Grasping Benchmark",
    "A robot grasping benchmark of dexterous hands and tactile sensing, hidden by the curator.",
    dt.date(2025, 2, 15), authors=3,
)

DUMPS = {
    "2025-03-01-robots.txt": dump_text([ROBOT_A, ROBOT_B, HIDDEN, LANGUAGE], dt.date(2025, 3, 1)),
    "2025-06-15-images.txt": dump_text([DIFFUSION_A, DIFFUSION_B, ODD, ROBOT_A],
                                       dt.date(2025, 6, 15)),
    # No dated name, no dates: nobody knows when this page was copied.
    "undated.txt": dump_text([UNDATED], dt.date(2025, 7, 1)),
}

CURATION = f"""\
# My reading list: one entry per paper slug.
{slug(ROBOT_A.title)}:
  note: |
    **Must read.** Compare with [the tactile paper](../{slug(ROBOT_B.title)}/index.md).
  rating: 5
  status: read
  featured: true
{slug(ROBOT_B.title)}:
  status: to-read
  tags: [My picks]
  remove_tags: [Robotics]
{slug(DIFFUSION_A.title)}:
  rating: 4
  status: reading
{slug(HIDDEN.title)}:
  hidden: true
"""


@functools.cache
def built_site() -> Path:
    """The shared corpus generated and built once with mkdocs; the project folder."""
    root = Path(tempfile.mkdtemp(prefix="reading-list-site-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    new_project(root, DUMPS, curation=CURATION, site_url=SITE_URL)
    assert generate(root) == 0
    mkdocs_build(root)
    return root


def page_html(root: Path, title: str) -> str:
    """The built HTML of a paper's page."""
    return (root / "site" / "papers" / slug(title) / "index.html").read_text(encoding="utf-8")


def exported(root: Path) -> list[dict]:
    """The built site's papers.json."""
    return json.loads((root / "site" / "papers.json").read_text(encoding="utf-8"))

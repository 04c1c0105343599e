"""One `python -m generator build`, with its two phases timed: ``python -m bench.generate ROOT``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from generator.build import Project, build_catalog, write_site


def main(root: Path) -> dict:
    """Read + merge, then render + write; the times and what was written, as a dict."""
    project = Project(root=root)
    start = time.perf_counter()
    catalog = build_catalog(project)
    merged = time.perf_counter()
    report = write_site(catalog, project)
    done = time.perf_counter()
    return {
        "papers": len(catalog.papers),
        "problems": len(catalog.problems),
        "read_merge_s": merged - start,
        "generate_s": done - merged,
        "written": report.written,
        "unchanged": report.unchanged,
        "removed": report.removed,
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))

"""Related papers computed from nothing in a worker process, while the build goes on.

At 10,000 papers a full computation takes ~3.5 s of one core, and the build's next steps
(tags, list pages, papers.json, feeds) need none of it: only paper pages show related
papers. The worker is a fresh ``python -m generator.enrich.related_worker``: a fork would
copy the whole build (~300 MB by then, counted again by any all-processes memory measure),
and multiprocessing's spawn runs the caller's main script again when it is not guarded.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

from generator.enrich.related import Index, full_index

# Below this many papers a full computation (quadratic, ~0.05 s at 1,000) costs less than
# starting a Python with numpy and scipy in another process (~0.4 s of the other core).
WORKER_PAPERS = 2_000
# The folder that holds the generator package: the worker imports the same code.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]

Inputs = tuple[list[str], list[str], list[str]]  # slugs, texts, digests


class RelatedWorker:
    """One full computation of the related papers' index, running in another process."""

    def __init__(self, slugs: list[str], texts: list[str], digests: list[str]) -> None:
        self._inputs: Inputs = (slugs, texts, digests)
        self._result: Index | None = None
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), path]))}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "generator.enrich.related_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        # Written from a thread: the pipe takes 64 KB at a time, the worker reads only once
        # it has started, and the build has its own work to do meanwhile.
        self._feeder = threading.Thread(target=self._feed, args=(pickle.dumps(self._inputs),),
                                        daemon=True, name="related papers' input")
        self._feeder.start()

    def _feed(self, data: bytes) -> None:
        """Send the inputs; a worker that ended early is noticed when its answer is read."""
        stdin = self._process.stdin
        assert stdin is not None  # stdin=PIPE
        try:
            with stdin:
                stdin.write(data)
        except OSError:
            pass

    def index(self) -> Index:
        """The computed index, waiting for it; computed here if the worker failed."""
        if self._result is None:
            stdout = self._process.stdout
            assert stdout is not None  # stdout=PIPE
            with stdout:
                answer = stdout.read()
            code = self._process.wait()
            self._feeder.join()
            result = _loads(answer) if code == 0 else None
            if result is None:
                # The worker printed its own traceback, if it got that far.
                print(f"related papers: the worker process failed (exit status {code}); "
                      "computed in the build's own process instead", file=sys.stderr)
                result = full_index(*self._inputs)
            self._result = result
        return self._result


def _loads(answer: bytes) -> Index | None:
    """The worker's index, or None when its answer is not one."""
    try:
        index = pickle.loads(answer)  # our own child's answer, just written
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return index if isinstance(index, Index) else None


def main() -> None:
    """The worker: read the inputs' pickle on stdin, write the index's pickle on stdout."""
    slugs, texts, digests = pickle.load(sys.stdin.buffer)  # from the parent
    pickle.dump(full_index(slugs, texts, digests), sys.stdout.buffer,
                protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()

"""Run ``storage.pack_check.check_pack`` in a child process and print what it found, as JSON.

``python -m bench.check_child PACK`` prints events, seconds, whether the pack
checked, and peak RSS (``ru_maxrss``): this process's own and its chain
worker's (as ``bench.verify_child`` reports verify's). No database is opened.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from storage.pack_check import check_pack


def main(path: str) -> None:
    start = time.perf_counter()
    report = check_pack(Path(path))
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"events": report.events, "seconds": seconds, "ok": report.ok,
                      "findings": [x.message for x in report.findings],
                      "plans": report.plans, "proposals": report.proposals,
                      "own_peak_rss_mib": own, "worker_peak_rss_mib": workers,
                      "peak_rss_mib": own + workers}))


if __name__ == "__main__":
    main(sys.argv[1])

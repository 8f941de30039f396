"""Run ``storage.pack_check.check_pack`` in a child process and print what it found, as JSON.

``python -m bench.check_child PACK`` prints events, seconds, whether the pack
checked, and peak RSS (:func:`bench.measure.peak_rss_mib`): its own and its chain
worker's (as ``bench.verify_child`` reports verify's). No database is opened.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.measure import peak_rss_mib
from storage.pack_check import check_pack


def main(path: str) -> None:
    start = time.perf_counter()
    report = check_pack(Path(path))
    seconds = time.perf_counter() - start
    print(json.dumps({"events": report.events, "seconds": seconds, "ok": report.ok,
                      "findings": [x.message for x in report.findings],
                      "plans": report.plans, "proposals": report.proposals,
                      **peak_rss_mib()}))


if __name__ == "__main__":
    main(sys.argv[1])

"""Run ``storage.audit.verify`` in a child process and print what it found, as JSON.

``python -m bench.verify_child URL`` prints events, seconds, whether the log
verified, and peak RSS (:func:`bench.measure.peak_rss_mib`): this process's own,
and that of the processes verify started and waited for (its chain worker on
large logs).
``peak_rss_mib`` is their sum, an upper bound of what verify needs at once.
"""

from __future__ import annotations

import json
import sys
import time

from bench.measure import peak_rss_mib
from storage.audit import verify
from storage.database import open_engine


def main(url: str) -> None:
    engine = open_engine(url, migrate=False)
    start = time.perf_counter()
    report = verify(engine)
    seconds = time.perf_counter() - start
    print(json.dumps({"events": report.events, "seconds": seconds, "ok": report.ok,
                      "finding": report.finding.message if report.finding else None,
                      "plans": report.plans, "proposals": report.proposals,
                      **peak_rss_mib()}))


if __name__ == "__main__":
    main(sys.argv[1])

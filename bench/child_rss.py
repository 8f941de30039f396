"""Run a command and write its exit status and peak RSS: ``python -m bench.child_rss OUT CMD...``.

Linux keeps a process's ``ru_maxrss`` across fork and exec, so a command started
straight from a large benchmark process reports that process's memory as its
own. Started from this small process instead, its peak is its own. ``OUT``
receives ``{"returncode": ..., "peak_rss_bytes": ...}`` as JSON; the command's
output goes where this process's goes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def main(out: Path, command: list[str]) -> int:
    """Run ``command``, wait for it, write what it took to ``out``; its exit status."""
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    out.write_text(json.dumps({"returncode": code, "peak_rss_bytes": usage.ru_maxrss * 1024}))
    return code


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))

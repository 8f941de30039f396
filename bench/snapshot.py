"""Benchmark the committed HEAD, not a work tree others are editing.

``python -m bench.snapshot [run|profile] [options]`` exports ``HEAD`` with
``git archive`` (read-only: no index, no commit) into a temporary folder,
copies ``bench/`` beside it, runs ``python -m bench.run`` (or ``bench.profile``)
there, the verify child too, writes the results into this tree's
``bench/results/`` and removes the folder.
A long run then measures one version of the engine from start to end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def export_head(into: Path) -> str:
    """Extract HEAD's tree into ``into``; return its commit id."""
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    archive = into / "head.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, check=True,
                       stdout=out)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    archive.unlink()
    return commit


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="cocrea-head-"))
    try:
        commit = export_head(folder)
        shutil.copytree(HERE, folder / "bench", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "results"))
        args = sys.argv[1:]
        entry = args.pop(0) if args and args[0] in ("run", "profile") else "run"
        if entry == "run" and "--output" not in args:
            args += ["--output", str(HERE / "results" / "latest.json")]
        env = {**os.environ, "BENCH_COMMIT": commit}
        print(f"benchmarking {commit[:12]} from {folder}", file=sys.stderr, flush=True)
        code = subprocess.run([sys.executable, "-m", f"bench.{entry}", *args], cwd=folder,
                              env=env, check=False).returncode
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    raise SystemExit(code)


if __name__ == "__main__":
    main()

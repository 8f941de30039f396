"""Make the README's picture of a plan page: ``python -m workflow.site.screenshot OUT.png``.

Simulates the shipped Cuenca 2022 process on a fresh SQLite file (``cocrea
simulate``), serves it (``cocrea serve``) on a free loopback port, and has headless
Chromium (Debian's ``/usr/bin/chromium``, or ``--chromium PATH``) photograph the plan
page, offline, with a fresh profile; then stops the server. Options: ``--as-of``
(a moment, as the page takes it), ``--width`` and ``--height`` in pixels.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--no-default-browser-check")


def main(argv: list[str] | None = None) -> int:
    """Take the picture; return the exit status (0 when the PNG was written)."""
    args = _parser().parse_args(argv)
    out = Path(args.out).resolve()
    with tempfile.TemporaryDirectory(prefix="cocrea-shot-") as folder:
        db = f"sqlite:///{Path(folder) / 'cuenca.db'}"
        subprocess.run([sys.executable, "-m", "workflow", "simulate", "--db", db],
                       check=True, stdout=subprocess.DEVNULL)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "workflow", "serve", "--db", db,
                                   "--port", str(port)], stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/health")
            page = f"{base}/p/cuenca-2022" + (f"?as_of={quote(args.as_of)}" if args.as_of else "")
            subprocess.run([args.chromium, *FLAGS, f"--user-data-dir={Path(folder) / 'profile'}",
                            f"--window-size={args.width},{args.height}",
                            f"--screenshot={out}", page],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=120)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(out)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workflow.site.screenshot",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", help="where to write the PNG (e.g. docs/plan-page.png)")
    parser.add_argument("--as-of", default=None, help="show the plan as of this moment")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1500)
    parser.add_argument("--chromium", default=CHROMIUM, help="the Chromium binary")
    return parser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(url)
        time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())

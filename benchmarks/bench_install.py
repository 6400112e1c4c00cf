"""How long installing idmf takes, and how much it puts on disk: the wheel alone versus with
the [durable] extra (durable-rules, compiled from C), on each Python given.

    python benchmarks/bench_install.py python3.11 python3.12 python3.13

Each install goes into a fresh virtual environment with an empty pip cache of its own, as on
a new laptop: the time includes downloading every dependency (and compiling durable-rules).
Size is what the install added to the environment. Also prints the largest installed
packages of the plain install, to show what `idmf check` carries that only reports and
import use. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _size_mb(folder: Path) -> float:
    total = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            if not path.is_symlink():
                total += path.stat().st_size
    return total / 1e6


def _site_packages(venv: Path) -> Path:
    return next(venv.glob("lib/python3*/site-packages"))


def install(python: str, wheel: Path, extra: str, work: Path) -> tuple[float, float, bool, str]:
    venv = work / f"venv-{Path(python).name}-{extra or 'plain'}"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    before = _size_mb(_site_packages(venv))
    cache = work / f"cache-{venv.name}"
    target = f"{wheel}[{extra}]" if extra else str(wheel)
    env = {**os.environ, "PIP_CACHE_DIR": str(cache), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    started = time.perf_counter()
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", target], env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    ok = done.returncode == 0
    engine = ""
    if ok:
        version = subprocess.run([str(venv / "bin" / "idmf"), "--version"], capture_output=True, text=True).stdout
        engine = next((line.split(": ", 1)[1] for line in version.splitlines() if line.startswith("rules engine")), "")
    else:
        engine = "install failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:120]
    size = _size_mb(_site_packages(venv)) - before
    if extra == "" and ok:
        _largest(venv)
    shutil.rmtree(cache, ignore_errors=True)
    return seconds, size, ok, engine


def _largest(venv: Path) -> None:
    site = _site_packages(venv)
    sizes = sorted(((_size_mb(p), p.name) for p in site.iterdir() if p.is_dir() and not p.name.endswith(".dist-info")),
                   reverse=True)[:12]
    print(f"    largest packages in the plain install ({venv.name}):")
    for size, name in sizes:
        print(f"      {size:7.1f} MB  {name}")


def main(pythons: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work / "dist"),
                        str(ROOT)], check=True)
        wheel = next((work / "dist").glob("idmf-*.whl"))
        print(f"wheel: {wheel.name} ({wheel.stat().st_size / 1e6:.2f} MB)")
        print(f"{'python':<12} {'install':<18} {'seconds':>8} {'MB added':>9}  engine")
        for python in pythons:
            version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                                     capture_output=True, text=True).stdout.strip()
            for extra in ("", "durable"):
                seconds, size, ok, engine = install(python, wheel, extra, work)
                label = "idmf[durable]" if extra else "idmf (wheel)"
                print(f"{version:<12} {label:<18} {seconds:8.1f} {size:9.1f}  {engine}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or [sys.executable])

"""Checking a web page as a disabled reader's tools would: axe-core in headless Chromium.

``check_page(html)`` loads the page in a frame 320 CSS pixels wide (a phone, or a
desktop at 400% zoom: WCAG 1.4.10 reflow) in headless Chromium, runs axe-core
over it there, and returns the violations with how wide the page is.

Chromium comes from Debian (``make system-deps`` installs it; without it the
tests that need it skip, saying so). axe-core comes from the npm registry
(``npm pack axe-core``), fetched once into ``.cache/axe-core`` by
``make axe-core`` or on first use here; ``IDMF_AXE_CORE`` may name an
``axe.min.js`` instead.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE_CACHE = ROOT / ".cache" / "axe-core"
AXE_VERSION = "4"  # the major version the tests were written against
WIDTH = 320


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (Debian package chromium; `make system-deps` installs it)")


def axe_script() -> Path:
    named = os.environ.get("IDMF_AXE_CORE")
    if named:
        return Path(named)
    script = AXE_CACHE / "package" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    assert npm, "npm is needed to fetch axe-core (Debian package npm; `make system-deps` installs it)"
    AXE_CACHE.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(AXE_CACHE)],
                            capture_output=True, text=True, timeout=300)
    assert packed.returncode == 0, f"npm pack axe-core failed: {packed.stderr}"
    archive = AXE_CACHE / packed.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extractall(AXE_CACHE, members=[m for m in tar.getmembers() if m.name.startswith("package/")],
                       filter="data")
    return script


_RUN_AXE = """<script src="{axe}"></script>
<script>
axe.run(document, {{resultTypes: ["violations"]}}).then(function (r) {{
  parent.postMessage(JSON.stringify({{
    violations: r.violations.map(function (v) {{
      return {{id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {{ return n.html; }})}};
    }}),
    width: window.innerWidth,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)
  }}), "*");
}}, function (e) {{ parent.postMessage(JSON.stringify({{error: String(e)}}), "*"); }});
</script>
"""

_FRAME = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>axe</title></head><body>
<iframe src="page.html" title="page" style="width:{width}px;height:900px;border:0"></iframe>
<pre id="result"></pre>
<script>window.addEventListener("message", function (e) {{ document.getElementById("result").textContent = e.data; }});</script>
</body></html>
"""


def check_page(page: str, folder: Path) -> dict:
    """axe-core's violations on ``page`` and its width, shown 320 CSS pixels wide."""
    browser = chromium()
    axe = axe_script()
    assert "</body>" in page
    (folder / "page.html").write_text(page.replace("</body>", _RUN_AXE.format(axe=axe.as_uri()) + "</body>"),
                                      encoding="utf-8")
    (folder / "frame.html").write_text(_FRAME.format(width=WIDTH), encoding="utf-8")
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
         "--window-size=800,1000", "--virtual-time-budget=30000", "--dump-dom", (folder / "frame.html").as_uri()],
        capture_output=True, text=True, timeout=180).stdout
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found and found.group(1), f"axe-core reported nothing (Chromium's page was: {dom[:500]!r})"
    result = json.loads(html_lib.unescape(found.group(1)))
    assert "error" not in result, result.get("error")
    assert result["width"] == WIDTH, f"the page was shown {result['width']} px wide, not {WIDTH}"
    return result

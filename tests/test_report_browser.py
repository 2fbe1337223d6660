"""The seed article's review page in a real browser (headless Chromium): the highlights and
the stance map a reader sees match the recorded result. Skipped, with the reason, when no
Chromium is installed (.ci/run installs Debian's `chromium`)."""

import json
import re
import shutil
import subprocess

import pytest

from extractor.report import render_article
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1100",
]


def _seed_result() -> dict:
    """The result recorded from the bundled model for the seed article (see test_seed_cassette)."""
    data = json.loads((ROOT / "tests" / "expected" / "peskov-nato-red-line.json").read_text(encoding="utf-8"))
    data["run"]["seconds"] = 0.0
    return data


def _chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium); .ci/run installs it")
def test_seed_article_page_in_headless_chromium(tmp_path):
    result = _seed_result()
    page = tmp_path / "seed.html"
    page.write_text(render_article(result), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    body = re.search(r"<body([^>]*)>", dom).group(1)
    grounded = [c for c in result["claims"] if c["evidence"]]
    highlighted = int(re.search(r'data-highlighted-claims="(\d+)"', body).group(1))
    assert highlighted == len(grounded) > 0, "every grounded claim is highlighted, counted by the page's script"
    stance_cells = int(re.search(r'data-stance-cells="(\d+)"', body).group(1))
    assert stance_cells == len(result["stances"]) > 0, "the stance map shows every stance"
    shot = tmp_path / "seed.png"
    _chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

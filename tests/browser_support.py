"""The one way the tests find a headless Chromium (skipped, saying so, where there is none)."""

from __future__ import annotations

import shutil

import pytest

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


def chromium_or_skip():
    """(the browser's executable, playwright.sync_api), or skip the test."""
    executable = next((found for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                       if (found := shutil.which(name))), None)
    if executable is None:
        pytest.skip("no chromium on this machine (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the [test] extra")
    return executable, sync_api

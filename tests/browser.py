"""Debian's chromium driven by Playwright for Python (never `playwright install`: no downloads here)."""

import os

CHROMIUM = os.environ.get("ASTROPLANE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MISSING = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)"


def launch(playwright):
    """A headless chromium, or an AssertionError naming what to install."""
    assert os.path.exists(CHROMIUM), MISSING
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

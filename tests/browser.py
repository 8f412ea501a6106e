"""Debian's chromium driven by Playwright for Python (never `playwright install`: no downloads here)."""

import os

from playwright.sync_api import expect

from waiting import PATIENCE_MS

CHROMIUM = os.environ.get("ASTROPLANE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MISSING = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)"
# a page on a busy machine may take long to show what it will show: every expect() waits for its
# state up to the suite's patience (Playwright's own default is 5 s), and returns as soon as it holds
expect.set_options(timeout=PATIENCE_MS)


def new_context(browser, **options):
    """A browser context whose actions (click, fill, inner_text ...) wait as patiently as expect() does."""
    context = browser.new_context(**options)
    context.set_default_timeout(PATIENCE_MS)
    return context


def launch(playwright):
    """A headless chromium, or an AssertionError naming what to install."""
    assert os.path.exists(CHROMIUM), MISSING
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

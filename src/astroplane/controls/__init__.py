"""Test-double controls (ASTROPLANE_TEST_CONTROLS): the server's clock, injected faults, forced
failures, a reset of an organization, and reproducible ids. See docs/testing.md."""


def wanted(settings) -> bool:
    """Whether this server is a test double (its controls or seeded ids are asked for)."""
    return settings.test_controls or settings.id_seed is not None

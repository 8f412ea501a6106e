"""Test-double controls (ASTROPLANE_TEST_CONTROLS): the server's clock, injected faults, forced
failures, a reset of an organization, and reproducible ids. See docs/testing.md."""

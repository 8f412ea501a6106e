"""The older Astro APIs astroplane serves beside v1, each a thin adapter of shapes (kit.versions).

One module per API: its prefix, its generated models, the operations it serves from v1 routes and
how each differs. State, services, authorization and errors are v1's: an object created through
one version is the same object in every other.
"""

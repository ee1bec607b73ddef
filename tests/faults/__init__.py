"""Faults Régul must survive: a PostgreSQL server restarted under it, a process killed in the
middle of its work, a local file locked, read-only or on a full disk, a base newer than the app.

``tests/test_faults.py`` runs a short form of each in CI; ``python -m tests.faults --rounds N``
runs the long form by hand and prints its figures.
"""

"""Optimiser, rules and costs over plain problem data: no Qt, no SQL."""

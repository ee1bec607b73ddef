"""Data access as functions over an explicit Session; callers own the transaction."""

"""The soak: many desks on one PostgreSQL day at once, then an audit that nothing was lost."""

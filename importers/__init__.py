"""Reading hospital spreadsheets and rosters, geocoding, and generating sample days: no Qt."""

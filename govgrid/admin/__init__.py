"""Administration pages (users of a county)."""

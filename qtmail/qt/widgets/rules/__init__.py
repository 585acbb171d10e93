"""Tools > Rules: the server-side rule editor (issue 15)."""

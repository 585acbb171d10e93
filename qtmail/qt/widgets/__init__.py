"""The widgets of qtmail's windows (built in code; no generated files)."""

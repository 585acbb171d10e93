"""Account settings (no secrets) and the credential store (keyring only)."""

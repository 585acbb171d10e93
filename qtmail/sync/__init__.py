"""The sync engine: keeps an account's local cache equal to the server, and back."""

"""Pending operations, one module per kind (ARCHITECTURE.md "Local-first operations").

Each module holds a frozen payload (exactly the JSON stored in the pending row) and one
class with the phases of that kind: ``apply_local`` (the cache changes and the pending
row is recorded, in one durable transaction), ``apply_remote`` (idempotent; progress
saved in the row), ``back_out`` (the server refused for good), ``inverse`` (the commands
an undo applies) and ``describe`` (a translatable label). ``registry`` maps a kind to
its class; ``replay.py`` runs any of them in one loop.

- flags.py: read, flagged, ... (STORE)
- move.py: move and copy in one account, delete to Trash, archive, undo of a move
- expunge.py: delete for good (and delete to Trash, which is a move)
- transfer.py / retrieve.py: to another account, and its undo
- append.py: import .eml files (APPEND)
- folders.py: create, rename, delete, subscribe
"""

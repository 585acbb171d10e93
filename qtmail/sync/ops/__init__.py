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

Around them: ``common`` (kinds, payload base, the replay report), ``context`` (what
the phases are handed: Local, Remote), ``base`` (PendingOp), ``registry``;
``qtmail.sync.operations`` is the front door (``Operations.apply``, in one durable
transaction with the undo step), ``qtmail.sync.replay`` the loop, ``qtmail.sync.undo``
the undo/redo stacks.

A new kind ("mark as junk"): its module here (payload + class, its commands listed in
``commands``), its value in ``common.OpKind`` and its class in ``registry.KINDS`` (a
line each), its command dataclass in
``qtmail.core.commands``, and the action that sends it (a window action, a CLI verb).
"""

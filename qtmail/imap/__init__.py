"""IMAP: the only package that imports imapclient (and imaplib).

Start at ``session.ImapSession`` (one logged-in connection). Code outside this package
asks it intent-named questions (``moves_atomically``, ``expunges_by_uid``,
``reports_new_uids``, ``tracks_modseq``, ``reports_vanished``, ``can_idle``,
``knows_special_use``, ...) and never names a capability.

Module map (no import cycle among them, typing-only imports included:
tests/unit/test_imap_imports.py checks it):

- ``session``     ImapSession: connect/TLS/login, LIST, SELECT, STATUS, the intent
                  questions; holds ``session.writes`` and delegates bulk reads to fastfetch.
- ``writes``      ``Writes``: flags, copy/move/delete, APPEND, folder changes, Message-ID
                  lookups; MOVE vs COPY+\\Deleted+UID EXPUNGE decided once per call.
- ``writecmd``    one write command -> ``Reply`` (result codes COPYUID/APPENDUID), and the
                  user sentence for a refusal (RFC 5530 codes).
- ``idle``        IdleWatcher: the push connection (RFC 2177).
- ``fastfetch``   bulk UID FETCH (summaries, flags, body) and UID SEARCH, pipelined.
- ``fetchparse``  RFC 3501 tokenizer, FETCH items, untagged news (EXISTS, VANISHED, ...).
- ``wire``        the one owner of the bytes: tags, literals (sync, LITERAL+, LITERAL-),
                  capped line/literal reading, IDLE's exchange; ``RawImap`` is its seam.
- ``commandlog``, ``errors``, ``folders``, ``responses``, ``summary``, ``tls``,
  ``uidset``, ``utf7``: leaves (logging, error mapping, parsing helpers, encodings).
"""

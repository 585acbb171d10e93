"""Undo and Redo walk the user's changes back and forth, several levels, labelled, and
survive a restart; the inverse of an undone change is never a change of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message

from qtmail.core.commands import MarkFolderRead, Redo, Undo
from qtmail.core.errors import ConfigError
from qtmail.core.events import UndoChanged
from qtmail.core.types import FLAGGED
from qtmail.store.undo_steps import REDO, UNDO

pytestmark = pytest.mark.dovecot


def subjects(user: MailUser, folder: str, *criteria: str) -> list[str]:
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search(["NOT", "DELETED", *criteria])
        data = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]) if uids else {}
        return sorted(item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip()
                      for item in data.values())
    finally:
        client.logout()


def labels(harness: Any) -> tuple[str, str]:
    event = [e for e in harness.events if isinstance(e, UndoChanged)][-1]
    return str(event.undo), str(event.redo)


def test_undo_and_redo_several_levels(mail_user: MailUser,
                                      harness_factory: Callable[..., Any]) -> None:
    client = mail_user.imap()
    client.multiappend("INBOX", [message(f"m{n}") for n in range(3)])
    client.create_folder("Archive")
    client.logout()
    harness = harness_factory(mail_user)
    engine = harness.engine
    engine.sync_all()
    uid = {s.subject: s.uid for s in harness.store.summaries("INBOX", limit=10)}

    engine.ops.move("INBOX", [uid["m0"], uid["m1"]], "Archive")
    engine.replay()  # on the server: undoing it queues the way back
    engine.ops.set_flags("INBOX", [uid["m2"]], add=[FLAGGED])  # still queued
    assert labels(harness) == ("Star 1 message", "")

    engine.apply(Undo())  # withdrawn: the server never saw it
    assert labels(harness) == ("Move 2 messages to “Archive”", "Star 1 message")
    engine.apply(Undo())  # the move goes back, not the undone flag
    assert labels(harness) == ("", "Move 2 messages to “Archive”")
    with pytest.raises(ConfigError, match="nothing to undo"):
        engine.apply(Undo())
    engine.replay()
    assert subjects(mail_user, "INBOX") == ["m0", "m1", "m2"]
    assert subjects(mail_user, "Archive") == []
    assert subjects(mail_user, "INBOX", "FLAGGED") == []

    engine.apply(Redo())
    assert labels(harness) == ("Move 2 messages to “Archive”", "Star 1 message")
    engine.apply(Redo())
    assert labels(harness) == ("Star 1 message", "")
    engine.replay()
    assert subjects(mail_user, "INBOX") == ["m2"]
    assert subjects(mail_user, "Archive") == ["m0", "m1"]
    assert subjects(mail_user, "INBOX", "FLAGGED") == ["m2"]
    assert harness.store.pending(states=("queued", "failed", "conflict")) == []

    # Back twice, then a new change: the redo stack is forgotten.
    engine.apply(Undo())
    engine.apply(Undo())
    engine.replay()
    assert subjects(mail_user, "Archive") == []
    engine.sync_all()
    fresh = {s.subject: s.uid for s in harness.store.summaries("INBOX", limit=10)}
    engine.ops.set_flags("INBOX", [fresh["m0"]], add=[FLAGGED])
    assert labels(harness) == ("Star 1 message", "")
    with pytest.raises(ConfigError, match="nothing to redo"):
        engine.apply(Redo())


def test_the_stacks_survive_a_restart(mail_user: MailUser, tmp_path: Any,
                                      harness_factory: Callable[..., Any]) -> None:
    client = mail_user.imap()
    client.multiappend("INBOX", [message(f"m{n}") for n in range(2)])
    client.create_folder("Archive")
    client.logout()
    path = tmp_path / "kept.sqlite3"
    first = harness_factory(mail_user, path)
    first.engine.sync_all()
    uids = [s.uid for s in first.store.summaries("INBOX", limit=10)]
    first.engine.ops.move("INBOX", uids, "Archive")
    first.engine.replay()
    first.close()

    again = harness_factory(mail_user, path)
    step = again.store.top_undo_step(UNDO)
    assert step is not None and step.template.format(**step.parts) \
        == "Move 2 messages to “Archive”"
    again.engine.apply(Undo())
    again.engine.replay()
    assert subjects(mail_user, "INBOX") == ["m0", "m1"]
    assert again.store.top_undo_step(REDO) is not None


def test_mark_folder_read_takes_the_unread_ones_and_undo_gives_them_back(
        mail_user: MailUser, harness_factory: Callable[..., Any]) -> None:
    client = mail_user.imap()
    client.multiappend("INBOX", [message(f"new{n}") for n in range(3)])
    client.multiappend("INBOX", [{"msg": message("old"), "flags": [b"\\Seen"]}])
    client.logout()
    harness = harness_factory(mail_user)
    engine = harness.engine
    engine.sync_all()

    engine.apply(MarkFolderRead("INBOX"))
    assert labels(harness) == ("Mark 3 messages as read", "")
    assert harness.store.unread_uids("INBOX") == []
    engine.replay()
    assert subjects(mail_user, "INBOX", "UNSEEN") == []

    engine.apply(MarkFolderRead("INBOX"))  # nothing unread: nothing queued or to undo
    assert labels(harness) == ("Mark 3 messages as read", "")
    assert harness.store.pending() == []

    engine.apply(Undo())
    engine.replay()
    assert subjects(mail_user, "INBOX", "UNSEEN") == ["new0", "new1", "new2"]
    assert subjects(mail_user, "INBOX", "SEEN") == ["old"]

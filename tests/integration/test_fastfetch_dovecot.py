"""fastfetch against a real Dovecot: summaries, CHANGEDSINCE, VANISHED, BODY.PEEK[]."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers.dovecot import MailUser

from qtmail.core.errors import ProtocolError, ServerError
from qtmail.core.types import Address
from qtmail.imap import fastfetch
from qtmail.imap.uidset import uid_set

pytestmark = pytest.mark.dovecot

PLAIN = (b"From: Jane Doe <jane@example.org>\r\nTo: bob@example.org\r\n"
         b"Subject: plain subject\r\nDate: Tue, 17 Jul 1996 02:44:25 -0700\r\n"
         b"Message-ID: <m1@example.org>\r\n\r\nHello Bob.\r\n")
ENCODED = (b"From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <j@example.org>\r\n"
           b"To: \"Doe, Jane\" <jane@example.org>, bob@example.org\r\n"
           b"Subject: =?UTF-8?B?w5xuw69jb2RlIOKckw==?=\r\n"
           b"In-Reply-To: <m1@example.org>\r\nReferences: <m0@example.org>\r\n <m1@example.org>\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n")


@pytest.fixture
def client(mail_user: MailUser) -> Iterator[Any]:
    imap = mail_user.imap()
    imap.append("INBOX", PLAIN, flags=[b"\\Seen", b"$Work"])
    imap.append("INBOX", ENCODED)
    imap.select_folder("INBOX")
    yield imap
    imap.logout()


def test_fetch_summaries(client: Any) -> None:
    uids = fastfetch.search_uids(client._imap)
    assert uids == fastfetch.search_uids(client._imap, esearch=True) == [1, 2]
    result = fastfetch.fetch_summaries(client._imap, uid_set(uids), condstore=True)
    plain, encoded = result.summaries
    assert plain.uid == 1 and encoded.uid == 2
    assert plain.flags == {"\\Seen", "$Work"} and encoded.flags == frozenset()
    assert plain.size == len(PLAIN) and encoded.size == len(ENCODED)
    assert plain.subject == "plain subject"
    assert plain.sender == Address("Jane Doe", "jane@example.org")
    assert plain.to == (Address("", "bob@example.org"),)
    assert plain.date == 837596665
    assert plain.message_id == "m1@example.org"
    assert plain.internaldate > 1_600_000_000
    assert plain.modseq is not None and plain.modseq > 0
    assert not plain.has_attachment
    assert encoded.subject == "Ünïcode ✓"
    assert encoded.sender == Address("Jörg Müller", "j@example.org")
    assert encoded.to == (Address("Doe, Jane", "jane@example.org"),
                          Address("", "bob@example.org"))
    assert encoded.in_reply_to == "m1@example.org"
    assert encoded.references == ("m0@example.org", "m1@example.org")
    assert encoded.has_attachment
    # The connection is still in step for imapclient afterwards.
    assert client.noop()[0].startswith(b"NOOP")


def test_fetch_flags_changedsince_returns_only_changes(client: Any) -> None:
    before = fastfetch.fetch_flags(client._imap, "1:*", changedsince=1)
    highest = max(modseq or 0 for _flags, modseq in before.flags.values())
    assert fastfetch.fetch_flags(client._imap, "1:*", changedsince=highest).flags == {}
    client.add_flags([2], [b"\\Flagged"])
    changed = fastfetch.fetch_flags(client._imap, "1:*", changedsince=highest)
    assert list(changed.flags) == [2]
    flags, modseq = changed.flags[2]
    assert flags == {"\\Flagged"} and modseq is not None and modseq > highest
    everything = fastfetch.fetch_flags(client._imap, "1:*")
    assert everything.flags == {1: (frozenset({"\\Seen", "$Work"}), None),
                                2: (frozenset({"\\Flagged"}), None)}


def test_vanished_after_enable_qresync(mail_user: MailUser) -> None:
    client = mail_user.imap()
    try:
        for n in range(5):
            client.append("INBOX", PLAIN.replace(b"plain", b"msg %d" % n))
        client.enable("QRESYNC")
        client.select_folder("INBOX")
        start = fastfetch.fetch_flags(client._imap, "1:*", changedsince=1)
        highest = max(modseq or 0 for _flags, modseq in start.flags.values())
        client.delete_messages([2, 4])
        client.expunge()
        result = fastfetch.fetch_flags(client._imap, "1:*", changedsince=highest, vanished=True)
        assert result.vanished == [2, 4]
        assert result.flags == {}
    finally:
        client.logout()


def test_unsolicited_exists_from_another_client(client: Any, mail_user: MailUser) -> None:
    other = mail_user.imap()
    try:
        other.append("INBOX", PLAIN)
    finally:
        other.logout()
    result = fastfetch.fetch_summaries(client._imap, "1", condstore=False)
    assert [s.uid for s in result.summaries] == [1]
    assert result.unsolicited.exists == 3


def test_fetch_body_exact_and_unread(client: Any) -> None:
    assert fastfetch.fetch_body(client._imap, 2, max_size=1 << 20) == ENCODED
    assert fastfetch.fetch_body(client._imap, 99, max_size=1 << 20) is None
    flags = fastfetch.fetch_flags(client._imap, "2").flags
    assert flags == {2: (frozenset(), None)}  # BODY.PEEK[] left \Seen unset


def test_fetch_body_over_limit_drops_connection(mail_user: MailUser) -> None:
    client = mail_user.imap()
    client.append("INBOX", PLAIN)
    client.select_folder("INBOX")
    with pytest.raises(ProtocolError, match="download limit"):
        fastfetch.fetch_body(client._imap, 1, max_size=10)
    assert client._imap.sock.fileno() == -1


def test_server_error_keeps_connection(client: Any) -> None:
    with pytest.raises(ServerError):
        fastfetch.search_uids(client._imap, "NOSUCHKEY 1")
    assert fastfetch.search_uids(client._imap) == [1, 2]


def test_pipelined_summaries_match_one_by_one(client: Any) -> None:
    one_by_one = [fastfetch.fetch_summaries(client._imap, uids, condstore=True).summaries
                  for uids in ("2", "1", "3:9", "1:2")]
    pipelined = [r.summaries for r in fastfetch.fetch_summaries_pipelined(
        client._imap, iter(["2", "1", "3:9", "1:2"]), condstore=True)]
    assert pipelined == one_by_one
    assert [[s.uid for s in chunk] for chunk in pipelined] == [[2], [1], [], [1, 2]]


def test_pipelined_bad_set_is_never_sent_and_the_connection_stays_in_step(
        client: Any) -> None:
    # Dovecot answers a command it cannot parse at once, ahead of the ones in flight:
    # such a set is refused before it is sent; "1", already in flight, is read off.
    results = fastfetch.fetch_summaries_pipelined(client._imap, ["1", "x", "2"],
                                                  condstore=False)
    with pytest.raises(ValueError):
        next(results)
    results.close()
    assert fastfetch.search_uids(client._imap) == [1, 2]

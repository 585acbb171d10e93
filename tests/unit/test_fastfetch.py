"""fastfetch parsing on hand-written response bytes (a fake imaplib connection)."""

from __future__ import annotations

import imaplib
import io
import socket
import sys
import threading
import time
from collections import deque

import pytest

from qtmail.core.errors import ConnectionLost, ProtocolError, ServerError
from qtmail.core.types import Address, MessageSummary
from qtmail.imap import fastfetch, fetchparse
from qtmail.imap.uidset import parse_uid_set, uid_set
from qtmail.store import codec
from qtmail.sync.fetch_rows import header_row

HEADER_ITEM = b"BODY[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO " \
    b"REFERENCES CONTENT-TYPE)]"


class FakeImap:
    """The parts of imaplib.IMAP4 fastfetch uses, answering from canned bytes."""

    def __init__(self, response: bytes, tag: bytes = b"A1") -> None:
        self.file = io.BufferedReader(io.BytesIO(response))
        self.tag = tag
        self.sent: list[bytes] = []
        self.tagged_commands: dict[bytes, object] = {}
        self.closed = False

    def _new_tag(self) -> bytes:
        self.tagged_commands[self.tag] = None
        return self.tag

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def readline(self) -> bytes:
        # As imaplib.IMAP4.readline: refuse lines over _MAXLINE.
        line = self.file.readline(imaplib._MAXLINE + 1)  # type: ignore[attr-defined]
        if len(line) > imaplib._MAXLINE:  # type: ignore[attr-defined]
            raise imaplib.IMAP4.error(f"got more than {imaplib._MAXLINE} bytes")  # type: ignore[attr-defined]
        return line

    def read(self, size: int) -> bytes:
        return self.file.read(size)

    def shutdown(self) -> None:
        self.closed = True
        self.file.close()


def literal(data: bytes) -> bytes:
    return b"{%d}\r\n" % len(data) + data


BLOCK1 = (b"From: =?utf-8?q?J=C3=B6rg?= <j@x.org>\r\nTo: a@b.c, \"Doe, J\" <d@e.f>\r\n"
          b"Subject: hello\r\n world\r\nDate: Tue, 17 Jul 1996 02:44:25 -0700\r\n"
          b"Message-ID: <abc@x>\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n")
DOVECOT_LAYOUT = (
    b"* 1 FETCH (UID 11 FLAGS (\\Seen \\Recent $Label1) INTERNALDATE "
    b"\"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 203 MODSEQ (4) " + HEADER_ITEM + b" "
    + literal(BLOCK1) + b")\r\n"
    b"* 2 FETCH (UID 12 FLAGS () INTERNALDATE \" 7-Jan-2024 00:00:00 +0000\" "
    b"RFC822.SIZE 23 MODSEQ (5) " + HEADER_ITEM + b" " + literal(b"Subject: two\r\n\r\n")
    + b")\r\nA1 OK Fetch completed.\r\n")


# --- uid sets ---------------------------------------------------------------------------


def test_uid_set_is_sorted_and_compact() -> None:
    assert uid_set([9, 1, 2, 3, 5, 10, 11, 12, 3]) == "1:3,5,9:12"
    assert uid_set([7]) == "7"
    assert uid_set([]) == ""
    assert uid_set(range(1, 100001)) == "1:100000"


def test_parse_uid_set_round_trip_and_reversed_ranges() -> None:
    assert parse_uid_set("1:3,5,12:9") == [1, 2, 3, 5, 9, 10, 11, 12]
    assert parse_uid_set(uid_set([4, 8, 9, 10])) == [4, 8, 9, 10]
    with pytest.raises(ValueError):
        parse_uid_set("1:*")
    with pytest.raises(ValueError):
        parse_uid_set("1:4294967295")
    assert parse_uid_set("9000:1,20000:9001") == list(range(1, 20001))  # slices meet


def test_expanding_a_whole_folder_lets_the_window_run() -> None:
    """A first sync's ESEARCH answer (``ALL 1:1000000``) is expanded on a worker; the
    GUI thread gets the GIL all along, not once the last UID is made (issue 18)."""
    finished = threading.Event()
    started = threading.Event()

    def expand() -> None:
        started.set()
        assert len(parse_uid_set("1:1000000")) == 1_000_000
        finished.set()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)  # the window's (qt/worker.py), about
    try:
        worker = threading.Thread(target=expand)
        worker.start()
        started.wait()
        began = last = time.perf_counter()
        longest = 0.0
        while not finished.is_set():
            now = time.perf_counter()
            longest, last = max(longest, now - last), now
        took = time.perf_counter() - began
        worker.join()
    finally:
        sys.setswitchinterval(interval)
    # Unsliced, one C call made every int: this thread waited for the GIL all of `took`.
    assert longest < took / 4, f"held {longest * 1000:.1f} of {took * 1000:.1f} ms"


# --- fetch_summaries ---------------------------------------------------------------------


def test_summaries_dovecot_layout() -> None:
    imap = FakeImap(DOVECOT_LAYOUT)
    result = fastfetch.fetch_summaries(imap, "11:12", condstore=True)
    assert imap.sent[0].startswith(b"A1 UID FETCH 11:12 (UID FLAGS INTERNALDATE RFC822.SIZE "
                                   b"MODSEQ BODY.PEEK[HEADER.FIELDS (DATE FROM TO CC")
    assert imap.tagged_commands == {}
    first, second = result.summaries
    assert first.uid == 11
    assert first.flags == {"\\Seen", "$Label1"}  # \Recent is per session: dropped
    assert first.internaldate == 837596665
    assert first.date == 837596665
    assert first.size == 203
    assert first.modseq == 4
    assert first.subject == "hello world"
    assert first.sender == Address("Jörg", "j@x.org")
    assert first.to == (Address("", "a@b.c"), Address("Doe, J", "d@e.f"))
    assert first.message_id == "abc@x"
    assert first.has_attachment
    assert second.uid == 12 and second.subject == "two" and second.flags == frozenset()
    assert second.internaldate == 1704585600
    assert second.sender == Address("", "") and second.date is None
    assert result.unsolicited == fastfetch.Unsolicited()


def test_summaries_items_in_any_order_with_literals_and_quoted_escapes() -> None:
    response = (
        b"* 3 FETCH (" + HEADER_ITEM + b" " + literal(b"Subject: odd order\r\n\r\n")
        + b" RFC822.SIZE 99 FLAGS (\\Flagged \\SEEN) UID 30 INTERNALDATE "
        + literal(b"01-Feb-2020 10:00:00 +0100") + b")\r\n"
        # The header block as a quoted string with escapes, no trailing CRLF.
        b"* 4 FETCH (UID 31 " + HEADER_ITEM + b" \"Subject: say \\\"hi\\\" \\\\o/\" "
        b"FLAGS (\\Answered) RFC822.SIZE 5 INTERNALDATE \"01-Feb-2020 10:00:00 +0000\")\r\n"
        # NIL instead of a header block.
        b"* 5 fetch (uid 32 flags () " + HEADER_ITEM + b" NIL)\r\n"
        b"A1 OK done\r\n")
    result = fastfetch.fetch_summaries(FakeImap(response), "30:32", condstore=False)
    odd, quoted, nil = result.summaries
    assert (odd.uid, odd.size, odd.subject) == (30, 99, "odd order")
    assert odd.flags == {"\\Flagged", "\\Seen"}
    assert odd.internaldate == 1580547600
    assert quoted.subject == 'say "hi" \\o/'
    assert quoted.flags == {"\\Answered"}
    assert (nil.uid, nil.subject, nil.size, nil.internaldate) == (32, "", 0, 0)


def test_unsolicited_responses_interleaved() -> None:
    body = DOVECOT_LAYOUT.split(b"A1 OK")[0]
    response = (
        b"* 40 EXISTS\r\n* 3 EXPUNGE\r\n" + body[: body.index(b"* 2 FETCH")]
        + b"* 7 FETCH (FLAGS (\\Deleted))\r\n"
        b"* 8 FETCH (UID 80 FLAGS (\\Seen) MODSEQ (9))\r\n"
        b"* VANISHED 5:6,9\r\n* OK [ALERT] Mailbox almost full\r\n"
        b"* OK [HIGHESTMODSEQ 77] Highest\r\n* 2 RECENT\r\n"
        + body[body.index(b"* 2 FETCH"):] + b"* 41 EXISTS\r\nA1 OK done\r\n")
    result = fastfetch.fetch_summaries(FakeImap(response), "1:*", condstore=True)
    assert [s.uid for s in result.summaries] == [11, 12]
    news = result.unsolicited
    assert news.exists == 41
    assert news.expunged == [3]
    assert news.flag_updates == [
        fastfetch.FlagUpdate(7, None, frozenset({"\\Deleted"})),
        fastfetch.FlagUpdate(8, 80, frozenset({"\\Seen"}), 9)]
    assert news.vanished == [5, 6, 9]
    assert news.alerts == ["Mailbox almost full"]
    assert news.highestmodseq == 77


@pytest.mark.parametrize("status", [b"NO", b"BAD"])
def test_tagged_refusal_is_a_server_error(status: bytes) -> None:
    imap = FakeImap(b"A1 " + status + b" [SERVERBUG] Internal error\r\n")
    with pytest.raises(ServerError) as caught:
        fastfetch.fetch_summaries(imap, "1", condstore=False)
    assert caught.value.server_text == "[SERVERBUG] Internal error"
    assert not imap.closed  # the connection is still usable


def test_bye_mid_fetch_is_connection_lost() -> None:
    imap = FakeImap(b"* BYE Server shutting down\r\n")
    with pytest.raises(ConnectionLost, match="shutting down"):
        fastfetch.fetch_summaries(imap, "1", condstore=False)
    assert imap.closed


def test_oversized_line() -> None:
    imap = FakeImap(b"* 1 FETCH (UID 1 FLAGS (" + b"x" * 1_200_000 + b"))\r\nA1 OK\r\n")
    with pytest.raises(ProtocolError, match="oversized response"):
        fastfetch.fetch_flags(imap, "1:*")
    assert imap.closed


def test_oversized_header_literal() -> None:
    imap = FakeImap(b"* 1 FETCH (UID 1 " + HEADER_ITEM + b" {2147483647}\r\nSubject: ")
    with pytest.raises(ProtocolError, match="oversized response"):
        fastfetch.fetch_summaries(imap, "1", condstore=False)
    assert imap.closed


def test_eof_mid_literal() -> None:
    imap = FakeImap(b"* 1 FETCH (UID 1 " + HEADER_ITEM + b" {500}\r\nSubject: cut")
    with pytest.raises(ConnectionLost):
        fastfetch.fetch_summaries(imap, "1", condstore=False)
    assert imap.closed


def test_eof_mid_line_and_unparsable_fetch() -> None:
    with pytest.raises(ConnectionLost):
        fastfetch.fetch_flags(FakeImap(b"* 1 FETCH (UID 1 FL"), "1")
    imap = FakeImap(b"* 1 FETCH (UID 1 FLAGS (\\Seen)\r\nA1 OK\r\n")  # unbalanced
    with pytest.raises(ProtocolError):
        fastfetch.fetch_flags(imap, "1")
    assert imap.closed


def test_unexpected_continuation() -> None:
    with pytest.raises(ProtocolError):
        fastfetch.fetch_flags(FakeImap(b"+ go ahead\r\n"), "1")


# --- fetch_flags ----------------------------------------------------------------------------


def test_fetch_flags_changedsince_vanished() -> None:
    imap = FakeImap(
        b"* VANISHED (EARLIER) 3:5,9\r\n"
        b"* 1 FETCH (UID 10 FLAGS (\\Seen) MODSEQ (20))\r\n"
        b"* 2 FETCH (MODSEQ (21) UID 11 FLAGS ($Junk \\Flagged))\r\n"
        b"* 3 FETCH (FLAGS (\\Draft))\r\n"
        b"* VANISHED 12\r\n"
        b"A1 OK done\r\n")
    result = fastfetch.fetch_flags(imap, "1:*", changedsince=15, vanished=True)
    assert imap.sent == [b"A1 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 15 VANISHED)\r\n"]
    assert result.flags == {10: (frozenset({"\\Seen"}), 20),
                            11: (frozenset({"$Junk", "\\Flagged"}), 21)}
    assert result.vanished == [3, 4, 5, 9]
    assert result.unsolicited.vanished == [12]
    assert result.unsolicited.flag_updates == [
        fastfetch.FlagUpdate(3, None, frozenset({"\\Draft"}))]


def test_fetch_flags_plain() -> None:
    imap = FakeImap(b"* 1 FETCH (UID 10 FLAGS ())\r\nA1 OK done\r\n")
    result = fastfetch.fetch_flags(imap, "1:*")
    assert imap.sent == [b"A1 UID FETCH 1:* (UID FLAGS)\r\n"]
    assert result.flags == {10: (frozenset(), None)}
    with pytest.raises(ValueError):
        fastfetch.fetch_flags(imap, "1:*", vanished=True)


# --- fetch_body -----------------------------------------------------------------------------

MESSAGE = b"Subject: x\r\n\r\nbody with {braces} and ) parens\r\n"


def test_fetch_body_exact_bytes_any_order() -> None:
    imap = FakeImap(b"* 4 FETCH (BODY[] " + literal(MESSAGE) + b" UID 7)\r\nA1 OK\r\n")
    assert fastfetch.fetch_body(imap, 7, max_size=1000) == MESSAGE
    assert imap.sent == [b"A1 UID FETCH 7 (UID BODY.PEEK[])\r\n"]


def test_fetch_body_gone_is_none() -> None:
    assert fastfetch.fetch_body(FakeImap(b"A1 OK done\r\n"), 7, max_size=10) is None


def test_fetch_body_over_limit_closes_without_reading() -> None:
    imap = FakeImap(b"* 4 FETCH (UID 7 BODY[] {2147483647}\r\n" + b"x" * 1000)
    with pytest.raises(ProtocolError, match="larger than the download limit"):
        fastfetch.fetch_body(imap, 7, max_size=50 * 1024 * 1024)
    assert imap.closed


def test_fetch_body_eof_mid_literal_returns_nothing() -> None:
    imap = FakeImap(b"* 4 FETCH (UID 7 BODY[] {100}\r\n" + b"x" * 50)
    with pytest.raises(ConnectionLost):
        fastfetch.fetch_body(imap, 7, max_size=1000)


# --- search ----------------------------------------------------------------------------------


def test_search_plain_and_esearch() -> None:
    imap = FakeImap(b"* SEARCH 5 3 100000\r\n* 9 EXISTS\r\nA1 OK done\r\n")
    assert fastfetch.search_uids(imap) == [3, 5, 100000]
    assert imap.sent == [b"A1 UID SEARCH ALL\r\n"]
    imap = FakeImap(b'* ESEARCH (TAG "A1") UID ALL 1:3,7\r\nA1 OK done\r\n')
    assert fastfetch.search_uids(imap, "UNSEEN", esearch=True) == [1, 2, 3, 7]
    assert imap.sent == [b"A1 UID SEARCH RETURN (ALL) UNSEEN\r\n"]
    assert fastfetch.search_uids(FakeImap(b"* SEARCH\r\nA1 OK\r\n")) == []
    assert fastfetch.search_uids(FakeImap(b'* ESEARCH (TAG "A1") UID\r\nA1 OK\r\n'),
                                 esearch=True) == []


def test_tokenizer_general_shapes() -> None:
    tokens = fetchparse.tokenize(
        [b'(A "q \\" \\\\" NIL (B (C)) BODY[HEADER.FIELDS (X Y)]<0> ' + b"{3}\r\n",
         b"abc", b")\r\n"])
    assert tokens == [[b"A", b'q " \\', None, [b"B", [b"C"]],
                       b"BODY[HEADER.FIELDS (X Y)]<0>", b"abc"]]


# --- against a real imaplib.IMAP4 over a socket (timeouts, trickled literal) --------------


class TrickleServer:
    """Greets, answers CAPABILITY, then sends ``script`` for the next command and waits."""

    def __init__(self, script: bytes, close: bool) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.script = script
        self.close = close
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        conn, _ = self.listener.accept()
        with conn, conn.makefile("rb") as reader:
            conn.sendall(b"* OK ready\r\n")
            tag = reader.readline().split()[0]
            conn.sendall(b"* CAPABILITY IMAP4rev1\r\n" + tag + b" OK done\r\n")
            tag = reader.readline().split()[0]
            conn.sendall(self.script.replace(b"TAG", tag))
            if not self.close:
                self.done.wait(10)

    def stop(self) -> None:
        self.done.set()
        self.thread.join(10)
        self.listener.close()


@pytest.mark.parametrize("close", [True, False])
def test_real_imaplib_body_cut_or_stalled(close: bool) -> None:
    server = TrickleServer(b"* 1 FETCH (UID 7 BODY[] {1000}\r\n" + b"x" * 300, close)
    imap = imaplib.IMAP4("127.0.0.1", server.port, timeout=1)
    try:
        with pytest.raises(ConnectionLost):
            fastfetch.fetch_body(imap, 7, max_size=10_000)
    finally:
        server.stop()
        if imap.sock.fileno() != -1:
            imap.shutdown()


def test_real_imaplib_huge_literal_closes_socket() -> None:
    server = TrickleServer(b"* 1 FETCH (UID 7 BODY[] {2147483647}\r\nxx", close=False)
    imap = imaplib.IMAP4("127.0.0.1", server.port, timeout=5)
    try:
        with pytest.raises(ProtocolError, match="download limit"):
            fastfetch.fetch_body(imap, 7, max_size=50 * 1024 * 1024)
        assert imap.sock.fileno() == -1
    finally:
        server.stop()
        if imap.sock.fileno() != -1:
            imap.shutdown()


# --- pipelined summaries ------------------------------------------------------------------


class CountingImap(FakeImap):
    """Hands out P1, P2, ... as imaplib does (one tag per command)."""

    def __init__(self, response: bytes) -> None:
        super().__init__(response)
        self.tags = 0

    def _new_tag(self) -> bytes:
        self.tags += 1
        tag = b"P%d" % self.tags
        self.tagged_commands[tag] = None
        return tag


def answer(tag: bytes, uid: int, subject: bytes = b"s") -> bytes:
    block = b"Subject: " + subject + b"\r\n\r\n"
    return (b"* 1 FETCH (UID %d FLAGS () INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
            b"RFC822.SIZE 5 " % uid + HEADER_ITEM + b" " + literal(block) + b")\r\n"
            + tag + b" OK Fetch completed.\r\n")


def test_pipelined_summaries_keep_one_command_ahead() -> None:
    imap = CountingImap(answer(b"P1", 30) + answer(b"P2", 20) + answer(b"P3", 10))
    results = fastfetch.fetch_summaries_pipelined(imap, ["30", "20", "10"], condstore=False)
    first = next(results)
    # The second command went out before the first answer was read.
    assert [s.split(b" ", 4)[:4] for s in imap.sent[:2]] == [
        [b"P1", b"UID", b"FETCH", b"30"], [b"P2", b"UID", b"FETCH", b"20"]]
    assert [s.uid for s in first.summaries] == [30]
    rest = list(results)
    assert [[s.uid for s in r.summaries] for r in rest] == [[20], [10]]
    assert len(imap.sent) == 3 and imap.tagged_commands == {}
    assert rest[1].summaries[0].internaldate == 837596665


def test_pipelined_server_error_reads_off_the_command_in_flight() -> None:
    imap = CountingImap(answer(b"P1", 30) + b"P2 NO [SERVERBUG] oops\r\n"
                        + answer(b"P3", 10) + b"* 5 EXISTS\r\n")
    results = fastfetch.fetch_summaries_pipelined(imap, ["30", "20", "10", "5"],
                                                  condstore=False)
    assert [s.uid for s in next(results).summaries] == [30]
    with pytest.raises(ServerError):
        next(results)
    # P3 was answered and dropped; P4 was never sent; the stream is at the next response.
    assert len(imap.sent) == 3 and imap.tagged_commands == {}
    assert not imap.closed and imap.readline() == b"* 5 EXISTS\r\n"


def test_pipelined_closed_early_reads_off_what_is_in_flight() -> None:
    imap = CountingImap(answer(b"P1", 30) + answer(b"P2", 20) + answer(b"P3", 10)
                        + b"* 5 EXISTS\r\n")
    results = fastfetch.fetch_summaries_pipelined(imap, ["30", "20", "10", "5"],
                                                  condstore=False)
    next(results)
    results.close()
    # P3 went out before P1's result was handed over; P4 never did.
    assert len(imap.sent) == 3 and imap.tagged_commands == {}
    assert not imap.closed and imap.readline() == b"* 5 EXISTS\r\n"


def test_pipelined_closed_early_on_a_dead_connection_closes_it() -> None:
    imap = CountingImap(answer(b"P1", 30) + answer(b"P2", 20)[:-10])
    results = fastfetch.fetch_summaries_pipelined(imap, ["30", "20", "10"], condstore=False)
    next(results)
    results.close()  # no error: the caller is already leaving
    assert imap.closed and imap.tagged_commands == {}


def test_pipelined_connection_lost_hands_out_nothing_half_read() -> None:
    cut = answer(b"P2", 20)[:-40]
    imap = CountingImap(answer(b"P1", 30) + cut)
    results = fastfetch.fetch_summaries_pipelined(imap, ["30", "20", "10"], condstore=False)
    assert [s.uid for s in next(results).summaries] == [30]
    with pytest.raises(ConnectionLost):
        next(results)
    assert imap.closed and imap.tagged_commands == {}


def test_summaries_fast_layout_with_items_after_the_literal() -> None:
    block = b"Subject: late\r\n\r\n"
    imap = FakeImap(b"* 1 FETCH (UID 7 FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 "
                    b"-0700\" RFC822.SIZE 5 " + HEADER_ITEM + b" " + literal(block)
                    + b" MODSEQ (9))\r\nA1 OK\r\n")
    (summary,) = fastfetch.fetch_summaries(imap, "7", condstore=False).summaries
    assert (summary.uid, summary.subject, summary.modseq) == (7, "late", 9)
    assert summary.internaldate == 837596665 and summary.flags == {"\\Seen"}


def test_summaries_odd_internaldate_takes_the_general_path() -> None:
    imap = FakeImap(b"* 1 FETCH (UID 7 FLAGS () INTERNALDATE \"31-Feb-2024 02:44:25 +0000\" "
                    b"RFC822.SIZE 5 " + HEADER_ITEM + b" " + literal(b"\r\n") + b")\r\n"
                    b"* 2 FETCH (UID 8 FLAGS () INTERNALDATE \"1-Jan-1970 00:00:01 +0000\" "
                    b"RFC822.SIZE 5 " + HEADER_ITEM + b" " + literal(b"\r\n") + b")\r\n"
                    b"A1 OK\r\n")
    first, second = fastfetch.fetch_summaries(imap, "7:8", condstore=False).summaries
    assert first.internaldate == 0 and second.internaldate == 1


def test_pipelined_answers_run_together_are_credited_by_uid() -> None:
    # Dovecot runs pipelined FETCHes concurrently: P2's message may come before P1's OK.
    early = answer(b"P2", 20).split(b"P2 OK")[0]
    imap = CountingImap(answer(b"P1", 30).replace(b"P1 OK", early + b"P1 OK")
                        + b"P2 OK done\r\n")
    results = list(fastfetch.fetch_summaries_pipelined(imap, ["30", "20"], condstore=False))
    assert [[s.uid for s in r.summaries] for r in results] == [[30], [20]]
    imap = CountingImap(answer(b"P1", 30).replace(b"P1 OK", early + b"P1 OK")
                        + b"P2 OK done\r\n")
    results = list(fastfetch.fetch_summaries_pipelined(imap, ["30", "20"], condstore=False,
                                                       build=header_row))
    assert [[row[0] for row in r.rows] for r in results] == [[30], [20]]
    assert all(r.summaries == [] for r in results)


def test_pipelined_rows_are_the_summaries_rows() -> None:
    """Issue 18: a first sync takes the common layout as what a RowBuilder makes (no
    object built): SummaryFields equal to the MessageSummary parsed from the same
    bytes, or the store's rows equal to its encoding; a response in another layout
    still comes as a summary."""
    odd = (b"* 9 FETCH (" + HEADER_ITEM + b" " + literal(BLOCK1) + b" UID 40 FLAGS (\\Seen) "
           b"RFC822.SIZE 7 INTERNALDATE \"01-Feb-2020 10:00:00 +0100\")\r\n")
    response = DOVECOT_LAYOUT.replace(b"A1 OK Fetch completed.\r\n", odd + b"P1 OK done\r\n")
    (plain,) = fastfetch.fetch_summaries_pipelined(CountingImap(response), ["11:12,40"],
                                                   condstore=True)
    (fast,) = fastfetch.fetch_summaries_pipelined(
        CountingImap(response), ["11:12,40"], condstore=True, build=fastfetch.summary_fields)
    (rows,) = fastfetch.fetch_summaries_pipelined(CountingImap(response), ["11:12,40"],
                                                  condstore=True, build=header_row)
    assert [s.uid for s in plain.summaries] == [11, 12, 40] and plain.rows == []
    assert [s.uid for s in fast.summaries] == [40] == [s.uid for s in rows.summaries]
    assert [MessageSummary(*f) for f in fast.rows] == plain.summaries[:2]
    assert codec.encode_rows(fast.rows) == codec.header_rows(plain.summaries[:2]) == rows.rows


def _summaries(*uids: int) -> list[MessageSummary]:
    return [MessageSummary(uid, frozenset(), 0, 0, None, "", Address("", "")) for uid in uids]


@pytest.mark.parametrize(("arrived", "own", "rest"), [
    ((1, 2, 3), (1, 2, 3), ()),  # the usual case
    ((1, 2, 2, 3), (1, 2, 2, 3), ()),  # a duplicate nobody else asked for stays
    ((1, 7, 2), (1, 2), (7,)),  # the next command's message, arrived early
    ((1, 9, 2), (1, 9, 2), ()),  # a UID nobody asked for stays with this command
])
def test_credit_splits_by_the_sets_in_flight(arrived: tuple[int, ...], own: tuple[int, ...],
                                              rest: tuple[int, ...]) -> None:
    later: deque[tuple[bytes, frozenset[int] | None]] = deque([(b"P2", frozenset({7, 8}))])
    mine, theirs = fastfetch._credit(_summaries(*arrived), frozenset({1, 2, 3}), later,
                                     fastfetch._SUMMARY_UID)
    assert ([s.uid for s in mine], [s.uid for s in theirs]) == (list(own), list(rest))
    fields = [(uid, "the rest of a SummaryFields") for uid in arrived]
    mine_f, theirs_f = fastfetch._credit(fields, frozenset({1, 2, 3}), later,
                                         fastfetch._ROW_UID)
    assert ([f[0] for f in mine_f], [f[0] for f in theirs_f]) == (list(own), list(rest))

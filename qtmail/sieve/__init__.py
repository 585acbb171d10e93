"""Server-side filter rules: Sieve scripts (RFC 5228) managed over ManageSieve (RFC 5804).

``wire`` reads and writes the protocol's lines, strings and literals; ``client`` is the
connection (TLS, SASL, commands); ``script``/``rules``/``vacation`` turn a script into
rules and back without touching what they cannot model. No imapclient here: only the
TLS helpers of ``qtmail.imap.tls`` and the modified UTF-7 codec are shared with IMAP.
"""

"""Account settings from the e-mail address alone (issue 16): Thunderbird's lookups and
RFC 6186/8314 SRV records, Qt-free, run off the GUI thread."""

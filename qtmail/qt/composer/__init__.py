"""The composer: writing, replying, forwarding, drafts and sending (issue 6)."""

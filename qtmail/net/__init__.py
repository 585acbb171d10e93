"""Network checks that are not a mail protocol: where remote content may be fetched from."""

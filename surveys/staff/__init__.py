"""Staff pages for signposting a caller: search, the caller's list, recording the call, keying in answers."""

"""Staff pages: sign-in, signposting a caller, the outbox."""

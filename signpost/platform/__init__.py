"""The platform every feature stands on: configuration, the database, security, sign-in, audit, messages,
languages, errors and the base templates. It imports no feature."""

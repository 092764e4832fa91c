"""Open Referral UK 3.0: the read API, serialisation, imports and exports."""

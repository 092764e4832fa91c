"""The service directory: Open Referral UK shaped data, search, and the pages residents use."""

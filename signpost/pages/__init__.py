"""The site's own pages: home, about the data, accessibility, contact, cookies, privacy, security.txt and the
health checks."""

"""Signpost: a council's information-and-signposting service (directory, guided help, Your Views).

The layers, top to bottom (import-linter holds them; see pyproject.toml): `signpost.app` and `signpost.cli`;
the features (`signpost.ask`, then `signpost.guides`, `signpost.pages`, `signpost.staff`, `signpost.privacy`);
`surveys`; `directory`; `signpost.platform`. Nothing here imports Flask, so the rules modules load alone.
"""

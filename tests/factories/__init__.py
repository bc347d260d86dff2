"""Everything tests share, in one place (each helper exists once):

- `paths`      — the checkout, ../shared/data, the fixtures folder, the installed `casegraph` command;
- `database`   — `wipe` (empty the database, the schema stays) and `graph_state` (two graphs compared);
- `processes`  — `casegraph` as a real process: `cli_env`, `ingest`, `last_line`;
- `documents`  — `case_document`, realistic `DocumentResult`s without NLP, and `write_documents`;
- `query_case` — the gang case behind the saved-query, console and HTTP API tests;
- `chart_case` — the drug case behind the link-chart (dashboard) tests;
- `api`        — the HTTP API on the session's Neo4j: settings, client, error assertions.
"""

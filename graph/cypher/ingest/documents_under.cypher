// Top-level documents whose path lies under a folder: what a watched drop folder should contain.
MATCH (d:Document)
WHERE d.path STARTS WITH $prefix AND d.parent_id IS NULL
RETURN d.id AS id, d.path AS path, d.status AS status

// Older versions of the same file: same path, other content hash.
UNWIND $rows AS row
MATCH (d:Document {path: row.path})
WHERE d.id <> row.id
RETURN d.id AS id

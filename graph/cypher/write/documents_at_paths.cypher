UNWIND $paths AS path
MATCH (d:Document {path: path})
RETURN d.id AS id, d.path AS path, d.status AS status

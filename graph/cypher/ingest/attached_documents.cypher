// Attachments and archive members (at any depth) of the given documents.
UNWIND $ids AS id
MATCH (c:Document)-[:ATTACHED_TO*1..8]->(:Document {id: id})
RETURN DISTINCT c.id AS id, c.path AS path, c.status AS status

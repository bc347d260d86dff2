// Documents for the document filter, newest first; optionally only those ingested in
// [$since, $until) (ISO strings compare in time order).
MATCH (d:Document)
WHERE ($since IS NULL OR d.ingested_at >= $since) AND ($until IS NULL OR d.ingested_at < $until)
RETURN d.id AS id, d.title AS title, d.filename AS filename, d.ingested_at AS ingested_at,
       d.status AS status
ORDER BY d.ingested_at DESC, d.filename
LIMIT $cap

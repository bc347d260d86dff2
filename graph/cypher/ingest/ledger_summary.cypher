// The ingestion ledger at a glance: documents by status.
MATCH (d:Document)
WHERE d.status IS NOT NULL
RETURN d.status AS status, count(*) AS documents, sum(coalesce(d.pages, 0)) AS pages
ORDER BY status

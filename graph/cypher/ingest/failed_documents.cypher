MATCH (d:Document {status: 'failed'})
RETURN d.path AS path, d.error AS error
ORDER BY d.path
LIMIT $limit

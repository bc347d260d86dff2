UNWIND $rows AS row
MATCH (d:Document {id: row.id})
SET d.status = row.status, d.error = row.error, d.status_at = datetime()

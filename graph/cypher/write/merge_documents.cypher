// First statement of every write transaction: it locks each Document node (sorted by id), so two
// processes writing the same document take turns instead of interleaving their clear/create steps.
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d += row.props
WITH d, row WHERE row.parent_id IS NOT NULL
MERGE (p:Document {id: row.parent_id})
MERGE (d)-[:ATTACHED_TO]->(p)

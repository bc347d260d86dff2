// Removes sentences with their IN and MENTIONED_IN relationships.
UNWIND $ids AS id
MATCH (s:Sentence {doc_id: id})
DETACH DELETE s

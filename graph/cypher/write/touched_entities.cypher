// Which of these documents already have sentences in the graph, and the entities those mention:
// a document that is new needs no clearing (the common case of a first ingest).
UNWIND $ids AS id
MATCH (s:Sentence {doc_id: id})
OPTIONAL MATCH (s)<-[:MENTIONED_IN]-(e:Entity)
RETURN collect(DISTINCT id) AS existing, collect(DISTINCT e.key) AS keys

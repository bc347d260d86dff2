UNWIND $ids AS id
MATCH (s:Sentence {doc_id: id})<-[:MENTIONED_IN]-(e:Entity)
RETURN DISTINCT e.key AS key

// The status area: graph size (count store, constant time) and the last ingestion.
CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
CALL () { MATCH ()-[r:RELATED]->() RETURN count(r) AS relations }
CALL () { MATCH (s:Sentence) RETURN count(s) AS sentences }
CALL () { MATCH (d:Document) RETURN count(d) AS documents, max(d.ingested_at) AS last_ingested }
RETURN entities, relations, sentences, documents, last_ingested

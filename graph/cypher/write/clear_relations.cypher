UNWIND $ids AS id
MATCH ()-[r:RELATED {doc_id: id}]->()
DELETE r

UNWIND $rows AS row
MATCH (d:Document {id: row.doc_id})
CREATE (s:Sentence {id: row.id, doc_id: row.doc_id, idx: row.idx, text: row.text,
                    page: row.page, start: row.start, end: row.end})-[:IN]->(d)

// One row per document: its node is found once, its sentences are created under it, and each
// sentence's mentions are attached to their entities by the element ids ($nodes: key → id) that
// merge_entities returned in this transaction, without a second index lookup per mention.
UNWIND $rows AS row
MATCH (d:Document {id: row.doc_id})
UNWIND row.sentences AS s
CREATE (sn:Sentence {id: s.id, doc_id: row.doc_id, idx: s.idx, text: s.text, page: s.page,
                     start: s.start, end: s.end})-[:IN]->(d)
WITH sn, s
UNWIND s.mentions AS m
MATCH (e:Entity) WHERE elementId(e) = $nodes[m.key]
CREATE (e)-[:MENTIONED_IN {start: m.start, end: m.end, text: m.text, source: m.source}]->(sn)

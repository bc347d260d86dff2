// A document for the document view: properties, its first $cap sentences and their mentions
// (offsets are in the document text, like the sentences').
MATCH (d:Document {id: $doc_id})
RETURN d {.id, .title, .filename, .path, .mime, .pages, .language, .status, .ingested_at} AS document,
       COUNT { (s:Sentence {doc_id: $doc_id}) } AS sentence_count,
       COLLECT {
         MATCH (s:Sentence {doc_id: $doc_id}) WHERE s.idx < $cap
         RETURN s {.id, .idx, .text, .page, .start, .end} ORDER BY s.idx
       } AS sentences,
       COLLECT {
         MATCH (s:Sentence {doc_id: $doc_id})<-[m:MENTIONED_IN]-(e:Entity) WHERE s.idx < $cap
         RETURN {key: e.key, name: e.name, type: e.type, start: m.start, end: m.end, source: m.source,
                 sentence_idx: s.idx}
         ORDER BY m.start, m.end DESC
       } AS mentions

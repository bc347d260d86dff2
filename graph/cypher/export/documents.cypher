// Export: the documents of $cases (null: every case); with $typed_only only those that are the
// evidence of a typed relation (not $weak).
MATCH (d:Document)
WHERE ($cases IS NULL OR d.case IN $cases)
  AND (NOT $typed_only OR EXISTS {
    MATCH (:Entity)-[r:RELATED {doc_id: d.id}]->(:Entity) WHERE r.predicate <> $weak
  })
RETURN d.id AS id, d.path AS path, d.filename AS filename, d.title AS title, d.mime AS mime,
       d.language AS language, d.pages AS pages, d.size AS size, d.case AS case,
       toString(d.ingested_at) AS ingested_at, d.parent_id AS parent_id
ORDER BY id

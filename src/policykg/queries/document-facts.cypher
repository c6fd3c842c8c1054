// name: document-facts
// title.zh: 文档抽取结果
// title.en: Everything extracted from one document
// summary.zh: 一份文件抽取出的全部内容：实体、关系、目标和实际完成，以及它们在原文中的位置。
// summary.en: Everything extracted from one document: entities, relationships, targets and results, with where each sits in its text.
// description: The document's entity mentions, relations, targets and results with their character offsets into its text, for the evidence view (kind: mention, relation, target or result).
// param: doc string - | the document's id, e.g. doc:a06d94bdd8d3d8cf240e
// param: limit integer 5000 | the most rows to return
// label: doc 文件编号（doc:…） | Document id (doc:…)
// label: limit 最多行数 | Most rows
// entity: doc Document
// example: doc=doc:a06d94bdd8d3d8cf240e
MATCH (d:Document {id: $doc})-[m:MENTIONS]->(e:Entity)
UNWIND [span IN split(coalesce(m.spans, ''), ',') WHERE span <> '' | split(span, '-')] AS span
RETURN 'mention' AS kind, e.type AS type, e.id AS source_id, e.name AS source, null AS target_id, null AS target,
       toInteger(span[0]) AS `start`, toInteger(span[1]) AS end, null AS text, m.extractor AS extractor
UNION ALL
MATCH (d:Document {id: $doc})-[:MENTIONS]->(a:Entity)-[r]->(b:Entity)
WHERE r.doc_id = $doc
RETURN 'relation' AS kind, type(r) AS type, a.id AS source_id, a.name AS source, b.id AS target_id, b.name AS target,
       r.start AS `start`, r.end AS end, r.sentence AS text, r.extractor AS extractor
UNION ALL
MATCH (d:Document {id: $doc})-[s:SETS_TARGET|REPORTS_RESULT]->(t)-[:MEASURES]->(m:Metric)
RETURN CASE type(s) WHEN 'SETS_TARGET' THEN 'target' ELSE 'result' END AS kind, type(s) AS type, t.id AS source_id,
       m.name AS source, m.id AS target_id,
       toString(t.value) + coalesce(t.unit, '') AS target, t.start AS `start`, t.end AS end, t.text AS text,
       t.extractor AS extractor

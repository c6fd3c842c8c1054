// name: city-timeline
// title.zh: 城市政策时间线
// title.en: A city's policy timeline
// summary.zh: 某城市逐年的文件，每份文件列出合作伙伴、目标和实际完成，便于看出指标逐年的变化。
// summary.en: A city's documents year by year, each with its partners, targets and results, so a metric's change over the years reads down the rows.
// description: The city's documents by year, each with its partners, targets and results (metric, kind, value, unit), so a metric's change from year to year reads down the rows, aimed for and achieved.
// param: city string 三明市 | the city's canonical name
// param: limit integer 200 | the most documents to return
// label: city 城市 | City
// label: limit 最多文件数 | Most documents
// entity: city City
// example: city=三明市
// cached: true
OPTIONAL MATCH (c:Entity:City {name: $city})-[r:COOPERATES_WITH]->(p:Entity)  // the city's facts, once
WITH r, p ORDER BY p.name
WITH r.doc_id AS doc, collect(DISTINCT p.name) AS partners
WITH collect({doc: doc, partners: partners}) AS by_document
MATCH (d:Document)
WHERE d.city = $city
WITH d, coalesce([x IN by_document WHERE x.doc = d.id][0].partners, []) AS partners
OPTIONAL MATCH (d)-[:SETS_TARGET]->(t:Target)-[:MEASURES]->(m:Metric)
WITH d, partners, t, m ORDER BY t.start, m.name, t.value  // figures in the order the document states them
WITH d, partners, collect(DISTINCT {metric: m.name, kind: t.kind, value: t.value, value_max: t.value_max, unit: t.unit,
                                    comparator: t.comparator, year: t.year, start: t.start}) AS aimed
OPTIONAL MATCH (d)-[:REPORTS_RESULT]->(r:Result)-[:MEASURES]->(n:Metric)
WITH d, partners, aimed, r, n ORDER BY r.start, n.name, r.value
WITH d, partners, aimed, collect(DISTINCT {metric: n.name, kind: r.kind, value: r.value, value_max: r.value_max,
                                           unit: r.unit, comparator: r.comparator, year: r.year, start: r.start}) AS achieved
RETURN d.year AS year, d.id AS document, d.title AS title, d.doc_number AS doc_number, partners,
       [x IN aimed WHERE x.metric IS NOT NULL] AS targets, [x IN achieved WHERE x.metric IS NOT NULL] AS results
ORDER BY year, title, document
LIMIT $limit

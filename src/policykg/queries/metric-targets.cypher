// name: metric-targets
// title.zh: 指标目标与成效对比
// title.en: A metric's targets and results across cities and years
// summary.zh: 某项指标在各城市、各年份的目标与实际完成并列，数值换算为同一单位，只比较同类（存量、增量、增速、比率）。
// summary.en: A metric's targets and reported results side by side across cities and years, in one unit per kind, compared only like with like.
// description: What cities aimed for and what they reported, side by side: every target (fact 'target', a goal a document sets) and result (fact 'result', an achievement it reports) of a metric, with its kind (stock, flow, growth, ratio: compare only like kinds), comparator, value(s) in the text's unit and in one unit per kind (万元/元 → 亿元, 万家 → 家, 万人次 → 人次), the year it is for (a result: the year it reports on), the city, the sentence and the document. The same measure of every city is one metric concept.
// param: metric string 高新技术企业 | words of the metric's name (高新技术企业, 研发经费) or its concept id (high-tech-enterprises)
// param: city string any | a city's canonical name, or 'any'
// param: limit integer 1000 | the most rows to return
// label: metric 指标（名称中的词或概念编号） | Metric (words of its name, or its concept id)
// label: city 城市（any 表示全部） | City ('any' for all)
// label: limit 最多行数 | Most rows
// entity: city City
// example: metric=高新技术企业
// cached: true
UNWIND CASE WHEN $city = 'any' THEN [true] ELSE [] END AS every_city  // every city: from the metric
MATCH (m:Metric)
WHERE m.name CONTAINS $metric OR m.id = 'metric:' + $metric
MATCH (d)-[s:SETS_TARGET|REPORTS_RESULT]->(t)-[:MEASURES]->(m)  // only a figure's document links to it (graph/build.py): d unlabelled, a cheaper traversal
WITH d, s, t, m, coalesce(t.unit_normalised, CASE t.unit WHEN '万元' THEN '亿元' WHEN '元' THEN '亿元' WHEN '万家' THEN '家'
     WHEN '万人' THEN '人' WHEN '万人次' THEN '人次' WHEN '万个' THEN '个' WHEN '万项' THEN '项' ELSE t.unit END) AS normalised_unit
ORDER BY normalised_unit, m.name, d.city, coalesce(t.year, d.year), type(s) DESC, d.id, t.start
LIMIT $limit  // sorted on the keys first: only the rows kept are projected
WITH d, s, t, m, normalised_unit,
     CASE t.unit WHEN '万元' THEN 0.0001 WHEN '元' THEN 0.00000001 WHEN '万家' THEN 10000.0 WHEN '万人' THEN 10000.0
                 WHEN '万人次' THEN 10000.0 WHEN '万个' THEN 10000.0 WHEN '万项' THEN 10000.0 ELSE 1.0 END AS factor
RETURN CASE type(s) WHEN 'SETS_TARGET' THEN 'target' ELSE 'result' END AS fact, t.kind AS kind,
       d.city AS city, coalesce(t.year, d.year) AS year, m.name AS metric, t.metric_id AS metric_id,
       t.metric AS stated_metric, t.value AS value, t.value_max AS value_max, t.unit AS unit,
       coalesce(t.value_normalised, t.value * factor) AS normalised_value,
       coalesce(t.value_max_normalised, t.value_max * factor) AS normalised_value_max,
       normalised_unit, t.comparator AS comparator, t.text AS text, t.part AS part,
       t.start AS `start`, t.end AS end, d.id AS document, d.title AS title
ORDER BY normalised_unit, metric, city, year, fact DESC, document, `start`
UNION ALL
MATCH (m:Metric)  // one city: from its documents, by index
WHERE $city <> 'any' AND (m.name CONTAINS $metric OR m.id = 'metric:' + $metric)
MATCH (d:Document {city: $city})-[s:SETS_TARGET|REPORTS_RESULT]->(t)-[:MEASURES]->(m)
WITH d, s, t, m, coalesce(t.unit_normalised, CASE t.unit WHEN '万元' THEN '亿元' WHEN '元' THEN '亿元' WHEN '万家' THEN '家'
     WHEN '万人' THEN '人' WHEN '万人次' THEN '人次' WHEN '万个' THEN '个' WHEN '万项' THEN '项' ELSE t.unit END) AS normalised_unit
ORDER BY normalised_unit, m.name, d.city, coalesce(t.year, d.year), type(s) DESC, d.id, t.start
LIMIT $limit  // sorted on the keys first: only the rows kept are projected
WITH d, s, t, m, normalised_unit,
     CASE t.unit WHEN '万元' THEN 0.0001 WHEN '元' THEN 0.00000001 WHEN '万家' THEN 10000.0 WHEN '万人' THEN 10000.0
                 WHEN '万人次' THEN 10000.0 WHEN '万个' THEN 10000.0 WHEN '万项' THEN 10000.0 ELSE 1.0 END AS factor
RETURN CASE type(s) WHEN 'SETS_TARGET' THEN 'target' ELSE 'result' END AS fact, t.kind AS kind,
       d.city AS city, coalesce(t.year, d.year) AS year, m.name AS metric, t.metric_id AS metric_id,
       t.metric AS stated_metric, t.value AS value, t.value_max AS value_max, t.unit AS unit,
       coalesce(t.value_normalised, t.value * factor) AS normalised_value,
       coalesce(t.value_max_normalised, t.value_max * factor) AS normalised_value_max,
       normalised_unit, t.comparator AS comparator, t.text AS text, t.part AS part,
       t.start AS `start`, t.end AS end, d.id AS document, d.title AS title
ORDER BY normalised_unit, metric, city, year, fact DESC, document, `start`

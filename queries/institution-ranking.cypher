// name: institution-ranking
// title.zh: 机构合作城市排名
// title.en: Institutions ranked by partner cities
// description: Institutions ranked by the number of distinct cities cooperating with them; a parent organisation also counts the cities of its sub-organisations (中国科学院 counts its institutes' partners).
// param: limit integer 50 | the most rows to return
// example: limit=20
// cached: true
MATCH (c:City)-[r:COOPERATES_WITH]->(i:Institution)
WITH i, collect(DISTINCT c.name) AS cities, collect(DISTINCT r.doc_id) AS docs
OPTIONAL MATCH (i)-[:PART_OF*1..3]->(parent:Institution)
WITH i, cities, docs, collect(DISTINCT parent) AS parents
UNWIND [i] + parents AS org
UNWIND [name IN cities | {city: name}] + [doc IN docs | {doc: doc}] AS item
WITH org, collect(DISTINCT item.city) AS city_names, count(DISTINCT item.doc) AS documents
RETURN org.name AS institution, org.id AS institution_id, size(city_names) AS cities, documents, city_names
ORDER BY cities DESC, documents DESC, institution
LIMIT $limit

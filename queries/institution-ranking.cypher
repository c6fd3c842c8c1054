// name: institution-ranking
// title.zh: 机构合作城市排名
// title.en: Institutions ranked by partner cities
// description: Institutions ranked by the number of distinct cities cooperating with them; a parent organisation also counts the cities of its sub-organisations (中国科学院 counts its institutes' partners).
// param: limit integer 50 | the most rows to return
// example: limit=20
MATCH (c:City)-[r:COOPERATES_WITH]->(i:Institution)
OPTIONAL MATCH (i)-[:PART_OF*1..3]->(parent:Institution)
WITH c, r, i, collect(DISTINCT parent) AS parents
WITH c, r, [i] + parents AS orgs
UNWIND orgs AS org
RETURN org.name AS institution, org.id AS institution_id, count(DISTINCT c) AS cities,
       count(DISTINCT r.doc_id) AS documents, collect(DISTINCT c.name) AS city_names
ORDER BY cities DESC, documents DESC, institution
LIMIT $limit

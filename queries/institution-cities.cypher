// name: institution-cities
// title.zh: 机构的合作城市
// title.en: Cities that cooperate with an institution
// description: Cities whose plans name the institution or one of its sub-organisations (PART_OF, e.g. the institutes of 中国科学院) as a partner; the name may be an alias.
// param: institution string 中国科学院 | the institution's canonical name or an alias, e.g. 中科院
// param: limit integer 200 | the most rows to return
// example: institution=中国科学院
// cached: true
MATCH (top:Institution)
WHERE top.name = $institution OR $institution IN coalesce(top.aliases, [])
OPTIONAL MATCH (sub:Institution)-[:PART_OF*1..3]->(top)
WITH top, collect(DISTINCT sub) AS subs
WITH top, subs + [top] AS orgs
UNWIND orgs AS org
MATCH (c:City)-[r:COOPERATES_WITH]->(org)
RETURN top.name AS institution, c.name AS city, c.id AS city_id, count(DISTINCT r.doc_id) AS documents,
       collect(DISTINCT r.year) AS years, collect(DISTINCT org.name) AS via, collect(r.sentence)[0] AS sentence
ORDER BY documents DESC, city
LIMIT $limit

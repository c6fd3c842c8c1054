// name: city-ranking
// title.zh: 城市合作伙伴排名
// title.en: Cities ranked by partners
// description: Cities ranked by the number of distinct partners (institutions, other areas, agencies, platforms) their plans name, with the documents that say so.
// param: limit integer 50 | the most rows to return
// example: limit=20
// cached: true
MATCH (c:City)-[r:COOPERATES_WITH]->(p:Entity)
RETURN c.name AS city, c.id AS city_id, count(DISTINCT p) AS partners,
       count(DISTINCT CASE WHEN p:Institution THEN p END) AS institutions,
       count(DISTINCT r.doc_id) AS documents
ORDER BY partners DESC, documents DESC, city
LIMIT $limit

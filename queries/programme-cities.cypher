// name: programme-cities
// title.zh: 实施某项制度的城市
// title.en: Cities running a programme
// description: Cities whose documents name a programme containing the given words (科技特派员, 揭榜挂帅…), since the earliest year seen, with distinct documents.
// param: programme string 科技特派员 | words of the programme's name or an alias
// param: limit integer 500 | the most rows to return
// example: programme=揭榜挂帅
// cached: true
MATCH (d:Document)-[:MENTIONS|IMPLEMENTS]->(p:Program)
WHERE p.name CONTAINS $programme OR any(a IN coalesce(p.aliases, []) WHERE a CONTAINS $programme)
RETURN d.city AS city, p.name AS programme, p.id AS programme_id, min(d.year) AS since,
       collect(DISTINCT d.year) AS years, count(DISTINCT d.id) AS documents
ORDER BY since, city, programme
LIMIT $limit

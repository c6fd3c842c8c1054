// name: programme-cities
// title.zh: 实施某项制度的城市
// title.en: Cities running a programme
// summary.zh: 实施某项制度或计划（如科技特派员、揭榜挂帅）的城市，以及最早出现的年份。
// summary.en: The cities running a programme or scheme (科技特派员, 揭榜挂帅…), since the earliest year their documents name it.
// description: Cities whose documents name a programme containing the given words (科技特派员, 揭榜挂帅…), since the earliest year seen, with distinct documents.
// param: programme string 科技特派员 | words of the programme's name or an alias
// param: limit integer 500 | the most rows to return
// label: programme 制度或计划名称中的词 | Words of the programme's name
// label: limit 最多行数 | Most rows
// example: programme=揭榜挂帅
// cached: true
MATCH (p:Program)
WHERE p.name CONTAINS $programme OR any(a IN coalesce(p.aliases, []) WHERE a CONTAINS $programme)
MATCH (d)-[:MENTIONS]->(p)  // only documents MENTION (graph/build.py); IMPLEMENTS names only programmes a document also MENTIONS
WITH d.city AS city, p, d.year AS year, count(d) AS documents  // one row per document: one MENTIONS each
ORDER BY year
WITH city, p, min(year) AS since, collect(year) AS years, collect(documents) AS counts
RETURN city, p.name AS programme, p.id AS programme_id, since, years,
       reduce(total = 0, n IN counts | total + n) AS documents
ORDER BY since, city, programme
LIMIT $limit

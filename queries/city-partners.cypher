// name: city-partners
// title.zh: 城市的合作机构
// title.en: Institutions a city cooperates with
// description: Institutions the city's plans say it cooperates with: one row per institution, with the number of distinct documents, their years, one example sentence and up to 20 supporting sentences (GET /api/evidence lists them all).
// param: city string 三明市 | the city's canonical name, e.g. 三明市
// param: limit integer 200 | the most rows to return
// example: city=三明市
// cached: true
MATCH (c:Entity:City {name: $city})-[r:COOPERATES_WITH]->(i:Institution)
MATCH (d:Document {id: r.doc_id})
WITH c, i, r, d ORDER BY d.year, r.start
WITH c, i, count(DISTINCT d.id) AS documents, collect(DISTINCT r.year) AS years,
     collect({document: d.id, title: d.title, year: r.year, sentence: r.sentence, start: r.start, end: r.end}) AS evidence
RETURN c.name AS city, i.name AS institution, i.id AS institution_id, documents, years,
       evidence[0].sentence AS sentence, evidence[0].title AS title, evidence[0..20] AS evidence
ORDER BY documents DESC, institution
LIMIT $limit

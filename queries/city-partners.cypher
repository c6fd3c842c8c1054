// name: city-partners
// title.zh: 城市的合作机构
// title.en: Institutions a city cooperates with
// description: Institutions the city's plans say it cooperates with: one row per institution, with the number of distinct documents, their years, one example sentence and up to 20 supporting sentences (GET /api/evidence lists them all).
// param: city string 三明市 | the city's canonical name, e.g. 三明市
// param: limit integer 200 | the most rows to return
// example: city=三明市
// cached: true
MATCH (c:Entity:City {name: $city})-[r:COOPERATES_WITH]->(i:Institution)
CALL {
  WITH r
  MATCH (d:Document {id: r.doc_id})
  RETURN d
}
WITH c, i, r, d ORDER BY d.year, r.start
WITH c, i, count(DISTINCT d.id) AS documents, collect(DISTINCT r.year) AS years, collect(r) AS facts,
     collect(d) AS docs
ORDER BY documents DESC, i.name
LIMIT $limit
RETURN c.name AS city, i.name AS institution, i.id AS institution_id, documents, years,
       facts[0].sentence AS sentence, docs[0].title AS title,
       [k IN range(0, CASE WHEN size(facts) < 20 THEN size(facts) ELSE 20 END - 1) |
        {document: docs[k].id, title: docs[k].title, year: facts[k].year, sentence: facts[k].sentence,
         start: facts[k].start, end: facts[k].end}] AS evidence
ORDER BY documents DESC, institution

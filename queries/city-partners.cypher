// name: city-partners
// title.zh: 城市的合作机构
// title.en: Institutions a city cooperates with
// description: Institutions the city's plans say it cooperates with, one row per supporting sentence, with the document and year.
// param: city string 三明市 | the city's canonical name, e.g. 三明市
// param: limit integer 200 | the most rows to return
// example: city=三明市
MATCH (c:City {name: $city})-[r:COOPERATES_WITH]->(i:Institution)
MATCH (d:Document {id: r.doc_id})
RETURN c.name AS city, i.name AS institution, i.id AS institution_id, r.sentence AS sentence,
       r.start AS start, r.end AS end, d.id AS document, d.title AS title, r.year AS year
ORDER BY institution, year
LIMIT $limit

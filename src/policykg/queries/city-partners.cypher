// name: city-partners
// title.zh: 城市的合作机构
// title.en: Institutions a city cooperates with
// summary.zh: 某城市的文件中写明与之合作的机构，每个机构附文件数、年份和说明合作的原文句子。
// summary.en: The institutions a city's documents say it cooperates with, each with its number of documents, the years and the sentences that say so.
// description: Institutions the city's plans say it cooperates with: one row per institution, with the number of distinct documents, their years, one example sentence and up to 20 supporting sentences (GET /api/evidence lists them all).
// param: city string 三明市 | the city's canonical name, e.g. 三明市
// param: limit integer 200 | the most rows to return
// label: city 城市 | City
// label: limit 最多行数 | Most rows
// entity: city City
// example: city=三明市
// cached: true
MATCH (c:Entity:City {name: $city})-[r:COOPERATES_WITH]->(i:Institution)
WITH c, i, r ORDER BY r.year, r.start, r.doc_id  // a fact's year is its document's (graph/build.py)
WITH c, i, count(DISTINCT r.doc_id) AS documents, collect(DISTINCT r.year) AS years, collect(r) AS facts
ORDER BY documents DESC, i.name
LIMIT $limit
CALL {  // documents looked up only for the evidence kept: at most 20 facts of each institution returned
  WITH facts
  UNWIND facts[0..20] AS fact
  OPTIONAL MATCH (d:Document {id: fact.doc_id})
  RETURN collect({id: fact.doc_id, title: d.title}) AS docs  // a map per fact, so docs[k] stays facts[k]'s
}
RETURN c.name AS city, i.name AS institution, i.id AS institution_id, documents, years,
       facts[0].sentence AS sentence, docs[0].title AS title,
       [k IN range(0, size(docs) - 1) |
        {document: docs[k].id, title: docs[k].title, year: facts[k].year, sentence: facts[k].sentence,
         start: facts[k].start, end: facts[k].end}] AS evidence
ORDER BY documents DESC, institution

// name: institution-cities
// title.zh: 机构的合作城市
// title.en: Cities that cooperate with an institution
// description: Cities whose plans name the institution or one of its sub-organisations (PART_OF, e.g. the institutes of 中国科学院) as a partner; the name may be an alias. Read from the PartnerSummary nodes the loader keeps, rolled up over sub-organisations (graph/aggregates.py).
// param: institution string 中国科学院 | the institution's canonical name or an alias, e.g. 中科院
// param: limit integer 200 | the most rows to return
// example: institution=中国科学院
// cached: true
MATCH (top:Institution)
WHERE top.name = $institution OR $institution IN coalesce(top.aliases, [])
UNWIND [top.id] AS top_id  // a lookup by index per institution, not a join of every summary
MATCH (s:PartnerSummary {partner_id: top_id})
RETURN top.name AS institution, s.city AS city, s.city_id AS city_id, s.rollup_documents AS documents,
       s.rollup_years AS years, s.via AS via, s.sentence AS sentence
ORDER BY documents DESC, city
LIMIT $limit

// name: city-ranking
// title.zh: 城市合作伙伴排名
// title.en: Cities ranked by partners
// summary.zh: 按合作伙伴（机构、城市、部门、平台）数量给城市排名。
// summary.en: Cities ranked by how many partners (institutions, other areas, agencies, platforms) their documents name.
// description: Cities ranked by the number of distinct partners (institutions, other areas, agencies, platforms) their plans name, with the documents that say so. Read from the CitySummary nodes the loader keeps (graph/aggregates.py).
// param: limit integer 50 | the most rows to return
// label: limit 最多行数 | Most rows
// example: limit=20
// cached: true
MATCH (s:CitySummary)
RETURN s.city AS city, s.city_id AS city_id, s.partners AS partners, s.institutions AS institutions,
       s.documents AS documents
ORDER BY partners DESC, documents DESC, city
LIMIT $limit

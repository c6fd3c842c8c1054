// name: institution-ranking
// title.zh: 机构合作城市排名
// title.en: Institutions ranked by partner cities
// summary.zh: 按合作城市数量给机构排名，上级机构计入其下属机构的合作城市。
// summary.en: Institutions ranked by how many cities cooperate with them, a parent counting the cities of its parts.
// description: Institutions ranked by the number of distinct cities cooperating with them; a parent organisation also counts the cities of its sub-organisations (中国科学院 counts its institutes' partners). Read from the InstitutionSummary and PartnerSummary nodes the loader keeps (graph/aggregates.py).
// param: limit integer 50 | the most rows to return
// label: limit 最多行数 | Most rows
// example: limit=20
// cached: true
MATCH (s:InstitutionSummary)
WITH s ORDER BY s.cities DESC, s.documents DESC, s.institution LIMIT $limit
OPTIONAL MATCH (p:PartnerSummary {partner_id: s.institution_id})
WITH s, p ORDER BY p.city
WITH s, collect(DISTINCT p.city) AS city_names
RETURN s.institution AS institution, s.institution_id AS institution_id, s.cities AS cities, s.documents AS documents,
       city_names
ORDER BY cities DESC, documents DESC, institution

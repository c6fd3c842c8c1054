// name: cooperation-matrix
// title.zh: 城市×合作方矩阵
// title.en: City × partner cooperation matrix
// description: One cell per city and partner with the number of distinct documents asserting cooperation, for a heat map; filter by partner type and by year (facts of unknown year are kept).
// param: type string Institution | the partner's type (Institution, City, Province, County, Agency, Platform) or 'any'
// param: year_from integer 0 | the earliest year to count
// param: year_to integer 9999 | the latest year to count
// param: limit integer 5000 | the most cells to return
// example: type=Institution&year_from=2020
// cached: true
MATCH (c:City)-[r:COOPERATES_WITH]->(p:Entity)
WHERE ($type = 'any' OR p.type = $type)
  AND coalesce(r.year, $year_from) >= $year_from AND coalesce(r.year, $year_to) <= $year_to
RETURN c.name AS city, c.id AS city_id, p.name AS partner, p.id AS partner_id, p.type AS partner_type,
       count(DISTINCT r.doc_id) AS documents, collect(DISTINCT r.year) AS years
ORDER BY city, partner
LIMIT $limit

// name: cooperation-matrix
// title.zh: 城市×合作方矩阵
// title.en: City × partner cooperation matrix
// description: One cell per city and partner with the number of distinct documents asserting cooperation, for a heat map; filter by partner type and by year (facts of unknown year are kept). Read from the PartnerSummary nodes the loader keeps (graph/aggregates.py), a city at a time in name order, so the first cells come without reading the rest.
// param: type string Institution | the partner's type (Institution, City, Province, County, Agency, Platform) or 'any'
// param: year_from integer 0 | the earliest year to count
// param: year_to integer 9999 | the latest year to count
// param: limit integer 5000 | the most cells to return
// example: type=Institution&year_from=2020
// cached: true
MATCH (c:CitySummary)
WITH c.city AS name, collect(c.city_id) AS ids
ORDER BY name
CALL {
  WITH ids
  UNWIND ids AS id
  MATCH (s:PartnerSummary {city_id: id})
  WHERE s.facts > 0 AND ($type = 'any' OR s.partner_type = $type)
  WITH s, [y IN s.doc_years WHERE y = 0 OR (y >= $year_from AND y <= $year_to)] AS kept
  WHERE size(kept) > 0
  RETURN s.city AS city, s.city_id AS city_id, s.partner AS partner, s.partner_id AS partner_id,
         s.partner_type AS partner_type, size(kept) AS documents,
         reduce(years = [], y IN kept | CASE WHEN y = 0 OR y IN years THEN years ELSE years + y END) AS years
  ORDER BY partner
}
RETURN city, city_id, partner, partner_id, partner_type, documents, years
LIMIT $limit

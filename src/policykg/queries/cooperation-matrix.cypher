// name: cooperation-matrix
// title.zh: 城市×合作方矩阵
// title.en: City × partner cooperation matrix
// summary.zh: 城市与合作方的交叉表：每格是写明两者合作的文件数；可按合作方类型和年份筛选，可把下属机构计入上级机构。
// summary.en: Cities against partners: each cell is the number of documents stating their cooperation; filter by partner type and years, and count parts with their organisation.
// description: One cell per city and partner with the number of distinct documents asserting cooperation, for a heat map; filter by partner type and by year (facts of unknown year are kept). With parts=true an organisation's cell also counts its parts' cooperation (中国科学院 with its institutes, `via` naming them) and the parts get no columns of their own. Read from the PartnerSummary nodes the loader keeps (graph/aggregates.py), a city at a time in name order, so the first cells come without reading the rest.
// param: type string Institution | the partner's type (Institution, City, Province, County, Agency, Platform) or 'any'
// param: year_from integer 0 | the earliest year to count
// param: year_to integer 9999 | the latest year to count
// param: parts boolean false | count an organisation's parts' cooperation in its own cell
// param: limit integer 5000 | the most cells to return
// label: type 合作方类型（Institution、City…，或 any） | Partner type (Institution, City…, or any)
// label: year_from 起始年份 | From year
// label: year_to 截止年份 | To year
// label: parts 下属机构计入上级机构 | Count parts with their organisation
// label: limit 最多格数 | Most cells
// choices: type Institution City Province County Agency Platform any
// example: type=Institution&year_from=2020
// cached: true
UNWIND CASE WHEN $parts THEN [] ELSE [true] END AS direct_only  // each partner its own facts
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
         reduce(years = [], y IN kept | CASE WHEN y = 0 OR y IN years THEN years ELSE years + y END) AS years,
         [s.partner] AS via
  ORDER BY partner
}
RETURN city, city_id, partner, partner_id, partner_type, documents, years, via
LIMIT $limit
UNION ALL
UNWIND CASE WHEN $parts THEN [true] ELSE [] END AS rolled_up  // organisations with their parts, parts folded in
MATCH (c:CitySummary)
WITH c.city AS name, collect(c.city_id) AS ids
ORDER BY name
CALL {
  WITH ids
  UNWIND ids AS id
  MATCH (s:PartnerSummary {city_id: id})
  WHERE $type = 'any' OR s.partner_type = $type
  OPTIONAL MATCH (:Entity {id: s.partner_id})-[:PART_OF]->(whole:Institution)
  WITH s, count(whole) AS wholes
  WHERE wholes = 0
  WITH s, [y IN coalesce(s.rollup_doc_years, s.doc_years) WHERE y = 0 OR (y >= $year_from AND y <= $year_to)] AS kept
  WHERE size(kept) > 0
  RETURN s.city AS city, s.city_id AS city_id, s.partner AS partner, s.partner_id AS partner_id,
         s.partner_type AS partner_type, size(kept) AS documents,
         reduce(years = [], y IN kept | CASE WHEN y = 0 OR y IN years THEN years ELSE years + y END) AS years,
         s.via AS via
  ORDER BY partner
}
RETURN city, city_id, partner, partner_id, partner_type, documents, years, via
LIMIT $limit

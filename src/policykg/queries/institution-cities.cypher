// name: institution-cities
// title.zh: 机构的合作城市
// title.en: Cities that cooperate with an institution
// summary.zh: 与某机构合作的城市，默认也包括只与其下属机构（如中国科学院的研究所）合作的城市，并给出合作路径。
// summary.en: The cities that cooperate with an institution, by default also those that work only with its parts (the institutes of 中国科学院), each with the path that links them.
// description: Cities whose plans name the institution or, with parts=true (the default), one of its sub-organisations (PART_OF, e.g. the institutes of 中国科学院) as a partner, each with the path that makes it one (三明市 → 中国科学院福建物质结构研究所 → 中国科学院); the name may be an alias. Read from the PartnerSummary nodes the loader keeps, rolled up over sub-organisations (graph/aggregates.py).
// param: institution string 中国科学院 | the institution's canonical name or an alias, e.g. 中科院
// param: parts boolean true | include cities that cooperate only with its sub-organisations
// param: limit integer 200 | the most rows to return
// label: institution 机构（全称或简称，如 中科院） | Institution (name or short form, e.g. 中科院)
// label: parts 包括下属机构的合作城市 | Include cities working with its parts
// label: limit 最多行数 | Most rows
// entity: institution Institution
// example: institution=中国科学院
// cached: true
MATCH (top:Institution)
WHERE top.name = $institution OR $institution IN coalesce(top.aliases, [])
UNWIND [top.id] AS top_id  // a lookup by index per institution, not a join of every summary
MATCH (s:PartnerSummary {partner_id: top_id})
WHERE $parts OR s.facts > 0
WITH top, s ORDER BY CASE WHEN $parts THEN s.rollup_documents ELSE size(s.doc_years) END DESC, s.city
LIMIT $limit
CALL {  // the chain from each organisation named up to the institution, for the path
  WITH top, s
  UNWIND CASE WHEN $parts THEN s.via ELSE [top.name] END AS named
  OPTIONAL MATCH chain = (:Entity {name: named})-[:PART_OF*0..3]->(top)
  WITH s.city AS city, named, [n IN nodes(chain) | n.name] AS names
  RETURN collect(DISTINCT city + ' → ' + reduce(text = '', n IN coalesce(names, [named]) |
         text + CASE WHEN text = '' THEN '' ELSE ' → ' END + n)) AS paths
}
RETURN top.name AS institution, s.city AS city, s.city_id AS city_id,
       CASE WHEN $parts THEN s.rollup_documents ELSE size(s.doc_years) END AS documents,
       CASE WHEN $parts THEN s.rollup_years ELSE [y IN s.doc_years WHERE y > 0] END AS years,
       CASE WHEN $parts THEN s.via ELSE [top.name] END AS via, paths, s.sentence AS sentence
ORDER BY documents DESC, city

// name: city-city
// title.zh: 城市间合作
// title.en: City–city cooperation
// summary.zh: 某城市与其他城市、省、区县之间的合作（对口合作、同城化、区域联盟等），包括它自己文件里写的和别的城市文件里提到它的。
// summary.en: A city's cooperation with other cities, provinces and counties (paired assistance, integration, regional alliances), as its own documents state it and as others' documents name it.
// description: Cooperation between areas (对口合作, 同城化, regional alliances and mechanisms), one row per pair with its kinds, distinct documents and years; 'any' lists every pair. For one city, the pairs its own plans state come first, then those where another city names it.
// param: city string any | a city's canonical name, or 'any'
// param: limit integer 500 | the most rows to return
// label: city 城市（填“any”列出全部） | City ('any' for every pair)
// label: limit 最多行数 | Most rows
// entity: city City
// example: city=丹东市
// cached: true
UNWIND CASE WHEN $city = 'any' THEN [true] ELSE [] END AS every_pair  // no scan at all for one city
MATCH (a:City)-[r:COOPERATES_WITH]->(b:Entity)
WHERE b:City OR b:Province OR b:County
WITH a, b, r,
     CASE WHEN r.sentence CONTAINS '对口' THEN '对口合作'
          WHEN r.sentence CONTAINS '同城化' THEN '同城化'
          WHEN r.sentence CONTAINS '一体化' THEN '一体化'
          WHEN r.sentence CONTAINS '联盟' OR r.sentence CONTAINS '机制' OR r.sentence CONTAINS '协作' THEN '区域联盟'
          ELSE '合作' END AS kind
ORDER BY coalesce(r.year, 9999), r.doc_id, r.start  // the earliest fact's sentence is the example; kinds, years in order
RETURN a.name AS city, a.id AS city_id, b.name AS partner, b.id AS partner_id, b.type AS partner_type,
       collect(DISTINCT kind) AS kinds, count(DISTINCT r.doc_id) AS documents, collect(DISTINCT r.year) AS years,
       collect(r.sentence)[0] AS sentence
ORDER BY documents DESC, city, partner
LIMIT $limit
UNION ALL
MATCH (a:Entity:City {name: $city})-[r:COOPERATES_WITH]->(b:Entity)
WHERE b:City OR b:Province OR b:County
WITH a, b, r,
     CASE WHEN r.sentence CONTAINS '对口' THEN '对口合作'
          WHEN r.sentence CONTAINS '同城化' THEN '同城化'
          WHEN r.sentence CONTAINS '一体化' THEN '一体化'
          WHEN r.sentence CONTAINS '联盟' OR r.sentence CONTAINS '机制' OR r.sentence CONTAINS '协作' THEN '区域联盟'
          ELSE '合作' END AS kind
ORDER BY coalesce(r.year, 9999), r.doc_id, r.start  // the earliest fact's sentence is the example; kinds, years in order
RETURN a.name AS city, a.id AS city_id, b.name AS partner, b.id AS partner_id, b.type AS partner_type,
       collect(DISTINCT kind) AS kinds, count(DISTINCT r.doc_id) AS documents, collect(DISTINCT r.year) AS years,
       collect(r.sentence)[0] AS sentence
ORDER BY documents DESC, city, partner
LIMIT $limit
UNION ALL
MATCH (b:Entity {name: $city})<-[r:COOPERATES_WITH]-(a:City)
WHERE (b:City OR b:Province OR b:County) AND a.name <> $city
WITH a, b, r,
     CASE WHEN r.sentence CONTAINS '对口' THEN '对口合作'
          WHEN r.sentence CONTAINS '同城化' THEN '同城化'
          WHEN r.sentence CONTAINS '一体化' THEN '一体化'
          WHEN r.sentence CONTAINS '联盟' OR r.sentence CONTAINS '机制' OR r.sentence CONTAINS '协作' THEN '区域联盟'
          ELSE '合作' END AS kind
ORDER BY coalesce(r.year, 9999), r.doc_id, r.start  // the earliest fact's sentence is the example; kinds, years in order
RETURN a.name AS city, a.id AS city_id, b.name AS partner, b.id AS partner_id, b.type AS partner_type,
       collect(DISTINCT kind) AS kinds, count(DISTINCT r.doc_id) AS documents, collect(DISTINCT r.year) AS years,
       collect(r.sentence)[0] AS sentence
ORDER BY documents DESC, city, partner
LIMIT $limit

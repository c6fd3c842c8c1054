// name: city-platforms
// title.zh: 城市的创新平台
// title.en: A city's platforms
// description: Platforms named in the city's documents or located in it, by type (platform_type) and level (国家级/省级/市级), with the institutions they are built or run with.
// param: city string 三明市 | the city's canonical name
// param: limit integer 500 | the most rows to return
// example: city=三明市
// cached: true
MATCH (d:Document)-[:MENTIONS]->(p:Platform)
WHERE d.city = $city
OPTIONAL MATCH (p)-[:BUILDS|OPERATED_BY|COOPERATES_WITH|PART_OF]-(i:Institution)
RETURN p.name AS platform, p.id AS platform_id, p.platform_type AS platform_type, p.level AS level,
       count(DISTINCT d.id) AS documents, collect(DISTINCT d.year) AS years, collect(DISTINCT i.name) AS institutions
ORDER BY platform_type, level, platform
LIMIT $limit

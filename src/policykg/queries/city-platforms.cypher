// name: city-platforms
// title.zh: 城市的创新平台
// title.en: A city's platforms
// summary.zh: 某城市文件中提到或位于该城市的创新平台，按类型和级别列出，并附共建或运营的机构。
// summary.en: The innovation platforms a city's documents name or that lie in it, by type and level, with the institutions that build or run them.
// description: Platforms named in the city's documents or located in it, by type (platform_type) and level (国家级/省级/市级), with the institutions they are built or run with.
// param: city string 三明市 | the city's canonical name
// param: limit integer 500 | the most rows to return
// label: city 城市 | City
// label: limit 最多行数 | Most rows
// entity: city City
// example: city=三明市
// cached: true
MATCH (d:Document)-[:MENTIONS]->(p:Platform)
WHERE d.city = $city
OPTIONAL MATCH (p)-[:BUILDS|OPERATED_BY|COOPERATES_WITH|PART_OF]-(i:Institution)
WITH p, d, i ORDER BY d.year, i.name  // years and institutions listed in order
RETURN p.name AS platform, p.id AS platform_id, p.platform_type AS platform_type, p.level AS level,
       count(DISTINCT d.id) AS documents, collect(DISTINCT d.year) AS years, collect(DISTINCT i.name) AS institutions
ORDER BY platform_type, level, platform
LIMIT $limit

// name: shortest-paths
// title.zh: 两实体间最短路径
// title.en: Shortest paths between two entities
// summary.zh: 两个实体之间最短的合作、隶属或所在地关系链。
// summary.en: The shortest chains of cooperation, membership or location between two entities.
// description: The shortest chains of cooperation, membership and location (up to 6 hops, either direction) between two entities, one row per distinct chain; none when no chain that short exists. On FalkorDB a bounded bidirectional search answers it (graph/paths.py) and refuses with 422 a pair whose search would visit over 200,000 entities.
// param: source string 三明市 | the first entity: its id, name or an alias, e.g. 三明市
// param: target string - | the second entity: its id, name or an alias, e.g. 天津大学
// param: limit integer 10 | the most paths to return
// label: source 起点（名称、简称或编号） | From (name, short form or id)
// label: target 终点（名称、简称或编号） | To (name, short form or id)
// label: limit 最多路径数 | Most paths
// entity: source id
// entity: target id
// example: source=三明市&target=厦门大学
// cached: true
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
MATCH p = allShortestPaths((a)-[:COOPERATES_WITH|PART_OF|LOCATED_IN|BUILDS|OPERATED_BY*..6]-(b))
WITH p LIMIT $limit
RETURN DISTINCT [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | n.name] AS names,
       [r IN relationships(p) | type(r)] AS types, length(p) AS hops

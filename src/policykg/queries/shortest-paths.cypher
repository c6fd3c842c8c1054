// name: shortest-paths
// title.zh: 两实体间最短路径
// title.en: Shortest paths between two entities
// description: The shortest chains of cooperation, membership and location (up to 6 hops, either direction) between two entities, one row per distinct chain; none when no chain that short exists. On FalkorDB a bounded bidirectional search answers it (graph/paths.py) and refuses with 422 a pair whose search would visit over 200,000 entities.
// param: source string City:三明市 | the first entity's id, e.g. City:三明市
// param: target string - | the second entity's id, e.g. Institution:天津大学
// param: limit integer 10 | the most paths to return
// example: source=City:三明市&target=Institution:厦门大学
// cached: true
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
MATCH p = allShortestPaths((a)-[:COOPERATES_WITH|PART_OF|LOCATED_IN|BUILDS|OPERATED_BY*..6]-(b))
WITH p LIMIT $limit
RETURN DISTINCT [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | n.name] AS names,
       [r IN relationships(p) | type(r)] AS types, length(p) AS hops

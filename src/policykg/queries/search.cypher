// name: search
// title.zh: 实体检索
// title.en: Search entities by name or alias
// summary.zh: 按名称或简称查找实体（城市、机构、平台、计划……）。
// summary.en: Find entities (cities, institutions, platforms, programmes…) by name or short form.
// description: Entities whose name or an alias contains the text (Chinese, partial names); exact matches first, then prefixes, then shorter names.
// param: q string - | the text to look for, e.g. 中科院 or 大学
// param: limit integer 20 | the most rows to return
// label: q 名称或简称 | Name or short form
// label: limit 最多行数 | Most rows
// example: q=中科院
// cached: true
MATCH (e:Entity)
WHERE e.name CONTAINS $q OR any(a IN coalesce(e.aliases, []) WHERE a CONTAINS $q)
WITH e, CASE WHEN e.name = $q OR $q IN coalesce(e.aliases, []) THEN 3
             WHEN e.name STARTS WITH $q OR any(a IN coalesce(e.aliases, []) WHERE a STARTS WITH $q) THEN 2
             ELSE 1 END AS score
RETURN e.id AS id, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases, score
ORDER BY score DESC, size(e.name), name, id
LIMIT $limit

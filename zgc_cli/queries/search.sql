-- Each table's rows with what can match: `names` (ids, names, aliases: `;`-separated; an exact
-- one ranks first), `labels` (a metric, title, kind, role, district or period as written) and
-- `summaries`; each row also has its park (the filter --park would give it) and its quote. A hit
-- on a figure carries the figure (value, unit, hedge, words, bounds, basis, change) and its date
-- or period; a project's, an event's or a programme's hit its date. BY NAME: what a table lacks
-- is NULL.
-- Then each row's rank, what matched, lower first: 1 an exact name, 2 a name, 3 a label or a
-- named period, 4 the park, 5 a summary, 6 the quote; `hits`: whether each list holds the text
-- or each of its words, each at a word's start (`on` is not in `operation`); `whole`: a text of
-- words is held whole, first within a rank ("year on year" before "work on … Year's"). The
-- parks are a list ($in_park), not a subquery: inside the rank a subquery was joined to every
-- row (minutes over a million rows).
SELECT *, ['exact id/name', 'id/name', 'label/period', 'park', 'summary', 'quote'][rank]
       AS matched_in
FROM (SELECT *, list_position([
    list_contains(flatten(list_transform(names, lambda v: string_split(lower(v), ';'))),
                  lower($text)) OR ("table" = 'parks' AND id = $park),
    hits[1], hits[2] OR list_contains($periods, period), list_contains($in_park, park_id),
    hits[3], hits[4]], true) AS rank
    FROM (SELECT *, list_transform([names, labels, summaries, [quote]], lambda vs: list_bool_or(
        list_transform(vs, lambda v: contains(lower(v), lower($text)) OR (len($words) > 0 AND
            list_bool_and(list_transform($words, lambda w:
                regexp_matches(lower(v), '(^|[^a-z0-9])' || regexp_escape(w)))))))) AS hits,
        len($words) = 0 OR list_bool_or(list_transform(flatten([names, labels, summaries,
            [quote]]), lambda v: contains(lower(v), lower($text)))) AS whole
    FROM (
        SELECT 'parks' AS "table", park_id AS id, name_zh, name_en, park_id, quote,
               [park_id, name_zh, name_en, aliases] AS names, [district_zh, district_en] AS labels
        FROM parks
        UNION ALL BY NAME
        SELECT 'projects' AS "table", project_id AS id, name_zh, name_en, park_id, quote,
               status_date AS "date", [project_id, name_zh, name_en] AS names,
               [status, status_date_text] AS labels,
               [summary_zh, summary_en, builder_zh, builder_en] AS summaries
        FROM projects
        UNION ALL BY NAME
        SELECT 'indicators' AS "table", indicator_id AS id, metric_zh AS name_zh, metric_en AS name_en,
               -- whose figure it is: Miyun's 复工率 or the zone's 到岗复工率
               i.park_id, quote, subject_id, k.name_zh AS subject_name_zh, k.name_en AS subject_name_en,
               period, value, unit, qualifier, value_text, value_text_en, value_min,
               value_max, basis, yoy_pct, metric, as_of AS "date", [indicator_id] AS names,
               -- a figure with a year-on-year change answers "year on year", 同比, yoy
               [metric, metric_zh, metric_en, value_text, as_of_text, period,
                CASE WHEN yoy_pct IS NOT NULL THEN 'year on year change; 同比; yoy_pct' END] AS labels
        FROM indicators i LEFT JOIN _subjects k USING (subject_type, subject_id)
        UNION ALL BY NAME
        SELECT 'companies' AS "table", company_id AS id, name_zh, name_en, park_id, quote,
               [company_id, name_zh, name_en] AS names, [sector] AS labels
        FROM companies
        UNION ALL BY NAME
        SELECT 'events' AS "table", event_id AS id, title_zh AS name_zh, title_en AS name_en, park_id,
               quote, "date", [event_id] AS names, [title_zh, title_en, date_text] AS labels
        FROM events
        UNION ALL BY NAME
        SELECT 'programs' AS "table", program_id AS id, name_zh, name_en, park_id, quote,
               launch_date AS "date", [program_id, name_zh, name_en, aliases] AS names,
               [kind, issuer_zh, issuer_en, launch_date_text] AS labels
        FROM programs
        UNION ALL BY NAME
        SELECT 'participants' AS "table", p.participant_id AS id, c.name_zh, c.name_en, c.park_id,
               p.quote, [p.participant_id] AS names, [p.role] AS labels
        FROM participants p LEFT JOIN companies c USING (company_id)
        UNION ALL BY NAME
        SELECT 'products' AS "table", d.product_id AS id, d.name_zh, d.name_en, c.park_id, d.quote,
               [d.product_id, d.name_zh, d.name_en] AS names, [d.kind] AS labels
        FROM products d LEFT JOIN companies c USING (company_id)
        UNION ALL BY NAME
        SELECT 'sources' AS "table", source_id AS id, title_zh AS name_zh, title_en AS name_en,
               [source_id, title_zh, title_en] AS names, [byline] AS labels
        FROM sources
    )))
WHERE rank IS NOT NULL

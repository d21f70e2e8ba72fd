-- zgc's named SQL (queries.base.sql reads it): each statement after its `-- name` line, to its
-- `;`. Values are always bound ($park); {in_park} is the park $park and its bases, {event_time}
-- when an event happened (base.IN_PARK, base.EVENT_TIME); other {parts} are filled by the caller.
-- parks
SELECT * FROM parks WHERE $district IS NULL
    OR district_zh ILIKE '%' || $district || '%' OR district_en ILIKE '%' || $district || '%';
-- projects
SELECT * FROM projects WHERE (len($statuses) = 0 OR list_contains($statuses, status))
    AND ($park IS NULL OR park_id IN {in_park})
    AND ($since IS NULL OR status_date >= $since) AND ($until IS NULL OR status_date <= $until);
-- indicators: a figure's park comes with it (through its subject's); a park includes its bases
SELECT * FROM indicators i WHERE ($park IS NULL OR i.park_id IN {in_park})
    AND ($subject IS NULL OR i.subject_type = lower($subject)
        OR i.subject_id ILIKE '%' || $subject || '%')
    AND ($metric IS NULL OR {matches})
    AND ($unit IS NULL OR i.unit = $unit) AND ($period IS NULL OR i.period = $period);
-- companies
SELECT * FROM companies WHERE $park IS NULL OR park_id IN {in_park};
-- programs
SELECT * FROM programs WHERE ($park IS NULL OR park_id IN {in_park})
    AND (len($kinds) = 0 OR list_contains($kinds, kind))
    AND ($issuer IS NULL OR issuer_id ILIKE $issuer_like ESCAPE '\'
        OR issuer_zh ILIKE $issuer_like ESCAPE '\' OR issuer_en ILIKE $issuer_like ESCAPE '\');
-- products: a product's place is its maker's park, and its maker's names come along
SELECT d.*, c.name_zh AS company_name_zh, c.name_en AS company_name_en, c.park_id
FROM (SELECT *, row_number() OVER () AS _at FROM products) d
LEFT JOIN companies c USING (company_id) WHERE ($park IS NULL OR c.park_id IN {in_park})
    AND (len($kinds) = 0 OR list_contains($kinds, d.kind))
    AND ($company IS NULL OR d.company_id ILIKE $company_like ESCAPE '\'
        OR c.name_zh ILIKE $company_like ESCAPE '\' OR c.name_en ILIKE $company_like ESCAPE '\');
-- timeline
SELECT * FROM events WHERE ($since IS NULL OR {event_time} >= $since)
    AND ($until IS NULL OR {event_time} <= $until);
-- figures: the figures (a value: a fact without one draws no bar) whose metric matches a pattern
SELECT i.indicator_id, i.metric, i.metric_zh, i.metric_en, i.value, i.unit, i.qualifier,
       i.value_text, i.quote, i.basis, i.value_text_en, i.value_min, i.value_max,
       coalesce(strftime(i.as_of, '%Y-%m-%d'), i.period, '') AS "when",
       i.subject_type, coalesce(s.name_zh, nullif(i.subject_id, '')) AS subject_zh,
       coalesce(s.name_en, nullif(i.subject_id, '')) AS subject_en,
       i.park_id IN (
           SELECT park_id FROM parks
           WHERE list_contains($parks, park_id) OR list_contains($parks, parent_park_id)
       ) AS in_parks,
       [{matched}] AS matched
FROM indicators i
LEFT JOIN _subjects s USING (subject_type, subject_id)
WHERE i.value IS NOT NULL AND ({any_matched})
ORDER BY i.indicator_id;
-- events: what `zgc timeline --chart` draws
SELECT e.event_id, e."date", e.date_text, {event_time} AS "when", e.park_id, e.title_zh,
       e.title_en, k.name_zh AS park_zh, k.name_en AS park_en
FROM events e LEFT JOIN parks k USING (park_id)
WHERE ($since IS NULL OR {event_time} >= $since) AND ($until IS NULL OR {event_time} <= $until)
ORDER BY {event_time} NULLS LAST, e.event_id;
-- metrics
SELECT DISTINCT metric FROM indicators ORDER BY 1;
-- districts
SELECT DISTINCT district_zh || ' ' || coalesce(district_en, '') FROM parks
WHERE district_zh IS NOT NULL ORDER BY 1;
-- issuers
SELECT DISTINCT issuer_zh || ' (' || issuer_en || ')' FROM programs
WHERE issuer_zh IS NOT NULL ORDER BY 1;
-- makers
SELECT DISTINCT company_id FROM products ORDER BY 1;
-- park_table: the parks with their names; with $text, only those whose names or district hold it
SELECT park_id, name_zh, name_en, aliases, district_zh, district_en, parent_park_id
FROM parks WHERE $text IS NULL OR list_bool_or(list_transform(
    [park_id, name_zh, name_en, aliases, district_zh, district_en],
    lambda n: contains(lower(n), $text)));
-- park_id
SELECT park_id FROM parks WHERE lower(park_id) = $wanted LIMIT 1;
-- park_and_bases
SELECT park_id FROM parks WHERE park_id IN {in_park};
-- table_counts
SELECT "table", count(*) FROM _snapshot GROUP BY 1;
-- report: what `zgc info` says of the report
SELECT title_zh AS report_title_zh, title_en AS report_title_en, byline,
       sha256 AS report_sha256, characters AS report_characters FROM sources;
-- cites: whether the snapshot cites the report of SHA-256 $sha
SELECT count(*) FROM sources WHERE sha256 = $sha;
-- periods
SELECT DISTINCT period FROM indicators WHERE period IS NOT NULL ORDER BY 1;
-- functions: DuckDB's, as the shell completes them
SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type <> 'pragma'
    AND regexp_full_match(function_name, '[a-z][a-z0-9_]*') ORDER BY 1;
-- keywords: DuckDB's
SELECT DISTINCT upper(keyword_name) FROM duckdb_keywords() ORDER BY 1;

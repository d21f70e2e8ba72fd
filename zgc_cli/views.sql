-- The snapshot's views. `_snapshot` is the Parquet file (defined by db.py with its path);
-- each view keeps its own rows and columns: ids and names first, provenance last.
-- indicators.park_id is derived by `zgc build` from the indicator's subject and stored in the
-- snapshot, so reading it costs no join (see docs/data.md, "Where a figure belongs").

CREATE VIEW parks AS
SELECT park_id, name_zh, name_en, aliases, district_zh, district_en, kind, parent_park_id,
       source_id, quote, quote_start, inferred, note, note_zh
FROM _snapshot WHERE "table" = 'parks';

CREATE VIEW projects AS
SELECT project_id, name_zh, name_en, park_id, parent_project_id, status, status_date,
       status_date_text, investment_yuan, investment_basis, land_area_m2, land_area_basis,
       floor_area_m2, floor_area_basis, builder_zh, builder_en, owner_id, promoter_id,
       summary_zh, summary_en,
       source_id, quote, quote_start, inferred, note, note_zh
FROM _snapshot WHERE "table" = 'projects';

CREATE VIEW indicators AS
SELECT indicator_id, subject_type, subject_id, park_id, metric, segment, metric_zh, metric_en,
       value, unit, qualifier, value_text, value_text_en, value_min, value_max, basis,
       as_of, as_of_text, period, yoy_pct,
       source_id, quote, quote_start, inferred, note, note_zh
FROM _snapshot WHERE "table" = 'indicators';

CREATE VIEW companies AS
SELECT company_id, name_zh, name_en, park_id, sector,
       source_id, quote, quote_start, inferred, note, note_zh
FROM _snapshot WHERE "table" = 'companies';

CREATE VIEW events AS
SELECT event_id, "date", date_text, park_id, project_id, company_id, program_id,
       title_zh, title_en,
       source_id, quote, quote_start, inferred, note, note_zh
FROM _snapshot WHERE "table" = 'events';

CREATE VIEW programs AS
SELECT program_id, name_zh, name_en, aliases, kind, issuer_id, issuer_zh, issuer_en, park_id,
       launch_date, launch_date_text, upgrades_program_id,
       source_id, quote, quote_start, inferred, note, note_zh
FROM _snapshot WHERE "table" = 'programs';

CREATE VIEW participants AS
SELECT participant_id, program_id, company_id, role,
       source_id, quote, quote_start, inferred, note, note_zh
FROM _snapshot WHERE "table" = 'participants';

CREATE VIEW products AS
SELECT product_id, name_zh, name_en, kind, company_id,
       source_id, quote, quote_start, inferred, note, note_zh
FROM _snapshot WHERE "table" = 'products';

CREATE VIEW sources AS
SELECT source_id, title_zh, title_en, byline, sha256, "characters"
FROM _snapshot WHERE "table" = 'sources';

-- The coverage ledger: spans of the report and the rows that represent each (never its text).
CREATE VIEW clauses AS
SELECT clause_id, "start", "end", "rows", reason, source_id
FROM _snapshot WHERE "table" = 'clauses';

-- Every subject an indicator can name, with its names and park: the one place the
-- subject-to-name-and-park rule is written for queries (zgc chart, show).
CREATE VIEW _subjects AS
SELECT 'zone' AS subject_type, 'zgc' AS subject_id, '中关村示范区' AS name_zh,
       'Zhongguancun zone' AS name_en, NULL::VARCHAR AS park_id
UNION ALL SELECT 'park', park_id, name_zh, name_en, park_id FROM parks
UNION ALL SELECT 'project', project_id, name_zh, name_en, park_id FROM projects
UNION ALL SELECT 'company', company_id, name_zh, name_en, park_id FROM companies
UNION ALL SELECT 'program', program_id, name_zh, name_en, park_id FROM programs
UNION ALL SELECT 'product', d.product_id, d.name_zh, d.name_en, c.park_id
FROM products d LEFT JOIN companies c USING (company_id);

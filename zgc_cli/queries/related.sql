-- The rows related to a record (`zgc show`): after `-- show TABLE[,TABLE] LABEL`, the SQL
-- selecting them by $id, to its `;`, {kind} being the record's (project for projects). Each
-- table's labels come in file order. A figure reads with its unit, hedge, bounds, basis and
-- change on 2019; an event with its date as its own card writes it (3月18日 is no date for an
-- English reader).
-- show parks projects
SELECT project_id, name_zh, name_en, status, status_date, investment_yuan
FROM projects WHERE park_id = $id ORDER BY status_date NULLS LAST;
-- show parks indicators (whose each is: a park's card holds its companies' and programmes')
SELECT indicator_id, metric, metric_zh, metric_en, s.name_zh AS subject_name_zh,
       s.name_en AS subject_name_en, value, unit, qualifier, value_text, value_text_en,
       value_min, value_max, basis, yoy_pct, as_of, period
FROM (SELECT *, row_number() OVER () AS n FROM indicators WHERE park_id = $id) i
LEFT JOIN _subjects s USING (subject_type, subject_id) ORDER BY n;
-- show parks companies
SELECT company_id, name_zh, name_en, sector FROM companies WHERE park_id = $id;
-- show parks programs
SELECT program_id, name_zh, name_en, kind, issuer_zh FROM programs WHERE park_id = $id;
-- show parks bases
SELECT park_id, name_zh, name_en FROM parks WHERE parent_park_id = $id;
-- show programs participants
SELECT p.company_id, c.name_zh, c.name_en, p.role
FROM participants p JOIN companies c USING (company_id) WHERE p.program_id = $id;
-- show products company
SELECT c.company_id, c.name_zh, c.name_en, c.park_id
FROM products x JOIN companies c USING (company_id) WHERE x.product_id = $id;
-- show projects,companies,programs events
SELECT event_id, "date", title_zh, title_en
FROM events WHERE {kind}_id = $id ORDER BY "date" NULLS LAST, event_id;
-- show projects,companies,programs,products indicators
SELECT indicator_id, metric, metric_zh, metric_en, value, unit, qualifier,
       value_text, value_text_en, value_min, value_max, basis, yoy_pct, as_of, period
FROM indicators WHERE subject_type = '{kind}' AND subject_id = $id;
-- show companies programs (the programmes it issues or takes part in, with its role)
SELECT g.program_id, g.name_zh, g.name_en, g.kind, r.role
FROM (
    SELECT program_id, 'issuer' AS role, 0 AS n FROM programs WHERE issuer_id = $id
    UNION ALL SELECT program_id, role, 1 FROM participants WHERE company_id = $id
) r JOIN programs g USING (program_id) ORDER BY r.n, g.program_id;
-- show companies products
SELECT product_id, name_zh, name_en, kind FROM products WHERE company_id = $id;
-- show programs upgrades
SELECT u.program_id, u.name_zh, u.name_en, u.launch_date, u.launch_date_text
FROM programs g JOIN programs u ON u.program_id = g.upgrades_program_id
WHERE g.program_id = $id;
-- show programs upgraded_by
SELECT program_id, name_zh, name_en, launch_date, launch_date_text
FROM programs WHERE upgrades_program_id = $id;
-- show participants program
SELECT g.program_id, g.name_zh, g.name_en, g.kind
FROM participants x JOIN programs g USING (program_id) WHERE x.participant_id = $id;
-- show participants company
SELECT c.company_id, c.name_zh, c.name_en, c.park_id
FROM participants x JOIN companies c USING (company_id) WHERE x.participant_id = $id;
-- show indicators subject
SELECT s.subject_type, s.subject_id, s.name_zh, s.name_en, s.park_id
FROM indicators i JOIN _subjects s USING (subject_type, subject_id) WHERE i.indicator_id = $id;
-- show events program
SELECT g.program_id, g.name_zh, g.name_en, g.kind
FROM events x JOIN programs g USING (program_id) WHERE x.event_id = $id;

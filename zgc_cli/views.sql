-- Views over the table views (parks, projects, ..., clauses), which snapshot.views() writes
-- from the data dictionary: each table's rows and columns, ids first, provenance last.

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

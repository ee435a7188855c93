-- Version 9: records are stored encoded (docs/storage.md, "Record encoding"): the JSON column of
-- spans, messages and logs becomes payload (bytea), and the error type that error groups read from
-- the JSON gets a column of its own (SQL cannot read an encoded payload). Rows written before keep
-- their JSON as UTF-8 bytes, which the reader tells from an encoded payload by its first byte.
-- Changing the column's type rewrites the three tables, in the migration's transaction.

ALTER TABLE spans ADD COLUMN error_type TEXT COLLATE "C";
ALTER TABLE logs ADD COLUMN error_type TEXT COLLATE "C";

UPDATE spans SET error_type = json::jsonb #>> '{error,type}' WHERE jsonb_typeof(json::jsonb -> 'error') = 'object';
UPDATE logs SET error_type = json::jsonb #>> '{error,type}' WHERE jsonb_typeof(json::jsonb -> 'error') = 'object';

ALTER TABLE spans RENAME COLUMN json TO payload;
ALTER TABLE messages RENAME COLUMN json TO payload;
ALTER TABLE logs RENAME COLUMN json TO payload;

ALTER TABLE spans ALTER COLUMN payload TYPE bytea USING convert_to(payload, 'UTF8');
ALTER TABLE messages ALTER COLUMN payload TYPE bytea USING convert_to(payload, 'UTF8');
ALTER TABLE logs ALTER COLUMN payload TYPE bytea USING convert_to(payload, 'UTF8');

-- Version 9: records are stored encoded (docs/storage.md, "Record encoding"): the JSON column of
-- spans, messages and logs becomes payload, and the error type that error groups read from the
-- JSON gets a column of its own (SQL cannot read an encoded payload). Rows written before keep
-- their JSON text, which the reader tells from an encoded payload by its first byte.

ALTER TABLE spans RENAME COLUMN json TO payload;
ALTER TABLE messages RENAME COLUMN json TO payload;
ALTER TABLE logs RENAME COLUMN json TO payload;

ALTER TABLE spans ADD COLUMN error_type TEXT;
ALTER TABLE logs ADD COLUMN error_type TEXT;

UPDATE spans SET error_type = json_extract(payload, '$.error.type') WHERE json_type(payload, '$.error') = 'object';
UPDATE logs SET error_type = json_extract(payload, '$.error.type') WHERE json_type(payload, '$.error') = 'object';

INSERT INTO items (name, qty) VALUES ('book', 3), ('lamp', 0), ('pen', 12);

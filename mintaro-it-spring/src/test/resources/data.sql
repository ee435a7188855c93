INSERT INTO items (name, price_cents) VALUES ('book', 1200), ('lamp', 3400);

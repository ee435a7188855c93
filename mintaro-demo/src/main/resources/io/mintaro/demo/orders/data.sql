INSERT INTO item (name, price, stock) VALUES
  ('book', 12.50, 100),
  ('lamp', 12.50, 100),
  ('kettle', 12.50, 100),
  ('chair', 12.50, 100),
  ('pen', 12.50, 100);

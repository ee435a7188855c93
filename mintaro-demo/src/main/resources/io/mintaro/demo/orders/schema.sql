CREATE TABLE item (
  name  VARCHAR PRIMARY KEY,
  price DECIMAL(10, 2) NOT NULL,
  stock INT NOT NULL
);

CREATE TABLE orders (
  id         VARCHAR(16) PRIMARY KEY,
  item       VARCHAR NOT NULL,
  quantity   INT NOT NULL,
  amount     DECIMAL(12, 2) NOT NULL,
  status     VARCHAR(20) NOT NULL,
  payment_id VARCHAR(40),
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);

-- Issue 27: the counts of created orders (the check after each pass, the sweep, the nightly
-- reconciliation) filter on deleted_at too. With it in the index they are read from the index
-- alone, instead of looking up every row counted (on H2 a count of 6 hours took 2-4 times longer).
DROP INDEX orders_created;
CREATE INDEX orders_created ON orders (shop, created_at, deleted_at);

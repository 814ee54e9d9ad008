-- The same rule as V2's users_role_known, written so that H2 keeps enforcing it. H2 (2.4) compiles
-- "role IN ('owner', 'admin', 'agent')" (and ORs of equalities) into a constant set tied to the session that
-- created the constraint: once the pool closed that connection (after its max lifetime, 30 minutes after the first
-- start), every INSERT into users failed with "Check constraint invalid" until the next restart. "= ANY (ARRAY ...)"
-- is evaluated in the inserting session, on H2 and on PostgreSQL alike.
ALTER TABLE users DROP CONSTRAINT users_role_known;
ALTER TABLE users ADD CONSTRAINT users_role_known CHECK (role = ANY (ARRAY['owner', 'admin', 'agent']));

-- Embedded database only. Webhook bodies are LOBs on H2 (V11), so that a 3 MB body is not held in memory with its
-- row. H2 keeps a LOB inside its row only up to 256 bytes by default and stores every larger one apart (its own
-- map, written at every commit), which made storing a delivery of a few kilobytes, what Meta sends nearly always,
-- cost about twice as much CPU as an ordinary column. Up to 16 KB it now stays in the row; larger bodies are
-- still stored apart. The setting is kept in the database.
SET MAX_LENGTH_INPLACE_LOB 16384;

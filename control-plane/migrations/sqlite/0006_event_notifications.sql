-- The PostgreSQL migration of this number notifies delivery processes of new events. SQLite serves one process,
-- whose ingest wakes its own delivery engine directly.
SELECT 1;

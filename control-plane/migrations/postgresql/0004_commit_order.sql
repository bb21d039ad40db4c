-- Delivery reads the log only up to a horizon below which no open transaction can still add an event.
--
-- PostgreSQL hands out sequence numbers when rows are inserted, not when transactions commit: a transaction that
-- took sequence 10 may commit after one that took 11. A reader that moved a cursor past 11 would never see 10.
--
-- Protocol: before any INSERT into "events" takes a sequence number, the statement trigger below takes a shared,
-- transaction-scoped advisory lock whose key carries the next number the sequence would give at that moment (every
-- number this transaction takes is at or above it). The lock lives until the transaction ends.
-- auditdrain_event_horizon() reads the sequence's last value L first, then the smallest key m among those locks
-- held in this database, and answers min(L, m - 1): every event at or below it is either committed or never will
-- be. Readers call it in a statement of its own, before the statements that read events, so that their snapshots
-- are taken after it.
--
-- Keys are tagged with bit 62 (pg_locks shows a bigint key as classid = high 32 bits, objid = low 32 bits), apart
-- from every other advisory lock auditdrain takes.

CREATE FUNCTION "auditdrain_hold_event_horizon"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(
    (1::bigint << 62) | (SELECT CASE WHEN "is_called" THEN "last_value" + 1 ELSE "last_value" END FROM "events_sequence_seq")
  );
  RETURN NULL;
END;
$$;

CREATE TRIGGER "events_hold_event_horizon"
  BEFORE INSERT ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION "auditdrain_hold_event_horizon"();

CREATE FUNCTION "auditdrain_event_horizon"() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  allocated bigint;
  oldest_open bigint;
BEGIN
  SELECT CASE WHEN "is_called" THEN "last_value" ELSE "last_value" - 1 END INTO allocated FROM "events_sequence_seq";
  SELECT min(((l."classid"::bigint << 32) | l."objid"::bigint) & ((1::bigint << 62) - 1)) INTO oldest_open
  FROM pg_locks l
  WHERE l."locktype" = 'advisory' AND l."objsubid" = 1 AND l."granted"
    AND l."database" = (SELECT "oid" FROM pg_database WHERE "datname" = current_database())
    AND l."classid" >= (1::bigint << 30);
  IF oldest_open IS NULL THEN
    RETURN allocated;
  END IF;
  RETURN least(allocated, oldest_open - 1);
END;
$$;

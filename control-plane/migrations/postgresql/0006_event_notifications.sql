-- Every statement that adds events notifies the channel `auditdrain_events` when its transaction commits (PostgreSQL
-- sends one notification per transaction and channel), so delivery processes other than the one that took the
-- request wake at once instead of at their next poll (store/event-notifications.ts).
CREATE FUNCTION "auditdrain_notify_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('auditdrain_events', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "events_notify"
  AFTER INSERT ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION "auditdrain_notify_events"();

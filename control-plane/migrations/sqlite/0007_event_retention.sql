-- Retention removes events older than the retention period once every destination of their tenant has passed them
-- (store/prune-events.ts); it finds them by tenant and time of receipt, as replays do.
CREATE INDEX "events_tenant_id_received_at_idx" ON "events"("tenant_id", "received_at");

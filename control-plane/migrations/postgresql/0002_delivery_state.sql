-- Delivery: each destination's cursor, batch in flight and health; the S3 objects written.
CREATE TABLE "delivery_states" (
    "destination_id" TEXT NOT NULL,
    "cursor" BIGINT NOT NULL,
    "pending_batch" TEXT,
    "last_success_at" TIMESTAMP(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMP(3),
    "consecutive_failures" INTEGER NOT NULL,
    "next_attempt_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "delivery_states_pkey" PRIMARY KEY ("destination_id"),
    CONSTRAINT "delivery_states_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "delivery_states_next_attempt_at_idx" ON "delivery_states"("next_attempt_at");

CREATE TABLE "s3_deliveries" (
    "key" TEXT NOT NULL,
    "destination_id" TEXT NOT NULL,
    "batch_id" TEXT NOT NULL,
    "first_sequence" BIGINT NOT NULL,
    "last_sequence" BIGINT NOT NULL,
    "event_count" INTEGER NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "delivered_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "s3_deliveries_pkey" PRIMARY KEY ("destination_id", "key"),
    CONSTRAINT "s3_deliveries_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "s3_deliveries_destination_id_delivered_at_idx" ON "s3_deliveries"("destination_id", "delivered_at");

-- Destinations that exist already start at the end of their tenant's log.
INSERT INTO "delivery_states" ("destination_id", "cursor", "consecutive_failures", "next_attempt_at")
SELECT d."id", COALESCE((SELECT MAX(e."sequence") FROM "events" e WHERE e."tenant_id" = d."tenant_id"), 0), 0, d."created_at"
FROM "destinations" d;

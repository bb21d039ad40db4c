-- Webhook delivery: one row per event to POST to an integration, every attempt, and rotated signing secrets.
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "destination_id" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "event_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TIMESTAMP(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_deliveries_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "webhook_deliveries_destination_id_status_next_attempt_at_idx" ON "webhook_deliveries"("destination_id", "status", "next_attempt_at");
CREATE INDEX "webhook_deliveries_destination_id_created_at_idx" ON "webhook_deliveries"("destination_id", "created_at");

CREATE TABLE "webhook_attempts" (
    "delivery_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "attempted_at" TIMESTAMP(3) NOT NULL,
    "status_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "error" TEXT,
    "response_excerpt" TEXT,
    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("delivery_id", "attempt"),
    CONSTRAINT "webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "retired_signing_secrets" (
    "destination_id" TEXT NOT NULL,
    "retired_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "secret" TEXT NOT NULL,
    CONSTRAINT "retired_signing_secrets_pkey" PRIMARY KEY ("destination_id", "retired_at"),
    CONSTRAINT "retired_signing_secrets_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Several processes deliver from one database: each destination is delivered by the process holding its lease.
ALTER TABLE "delivery_states" ADD COLUMN "lease_owner" TEXT;
ALTER TABLE "delivery_states" ADD COLUMN "lease_expires_at" TIMESTAMP(3);
ALTER TABLE "delivery_states" ADD COLUMN "lease_token" BIGINT NOT NULL DEFAULT 0;

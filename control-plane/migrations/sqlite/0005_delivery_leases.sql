-- Several processes deliver from one database: each destination is delivered by the process holding its lease.
ALTER TABLE "delivery_states" ADD COLUMN "lease_owner" TEXT;
ALTER TABLE "delivery_states" ADD COLUMN "lease_expires_at" DATETIME;
ALTER TABLE "delivery_states" ADD COLUMN "lease_token" INTEGER NOT NULL DEFAULT 0;

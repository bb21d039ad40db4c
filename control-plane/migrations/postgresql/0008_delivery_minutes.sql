-- Per destination and minute, the events delivered and the events whose delivery failed, written by the delivery
-- engine in the transaction that records the outcome (store/delivery-minutes.ts). The delivery log's chart reads
-- them; retention keeps the last day.
CREATE TABLE "delivery_minutes" (
    "destination_id" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "delivered" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    CONSTRAINT "delivery_minutes_pkey" PRIMARY KEY ("destination_id", "minute"),
    CONSTRAINT "delivery_minutes_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "delivery_minutes_minute_idx" ON "delivery_minutes"("minute");

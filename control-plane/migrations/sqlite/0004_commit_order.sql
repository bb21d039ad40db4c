-- The PostgreSQL migration of this number makes delivery read the log only up to a horizon below which no open
-- transaction can still add an event. SQLite needs nothing: it has one writer at a time, so sequence numbers are
-- committed in order.
SELECT 1;

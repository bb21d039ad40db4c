import {
  to = auditdrain_s3_log_destination.example
  id = "s3d_01jdq7m4x2k9v8r6t3n5b0c1hw"
}

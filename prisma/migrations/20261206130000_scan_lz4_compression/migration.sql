-- Scan rows carry the probe's raw output and the facts and assessment JSON (about 30-100 KB a scan). lz4 stores
-- them at about half pglz's CPU cost for the same size (measured on the bench's scan rows), and the scan save is
-- one of PostgreSQL's largest costs per scan. Only new values are affected; old ones stay readable as they are.
-- A server built without lz4 (the embedded one) refuses the method: it keeps pglz and the migration still applies.
DO $$
BEGIN
  ALTER TABLE "Scan"
    ALTER COLUMN "rawOutput" SET COMPRESSION lz4,
    ALTER COLUMN "facts" SET COMPRESSION lz4,
    ALTER COLUMN "assessment" SET COMPRESSION lz4,
    ALTER COLUMN "drift" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: scan rows keep pglz compression';
END $$;

-- The outbox of the core's backup to mesh storage (SPEC 13, docs/storage.md): every write of a job sets
-- backup_pending in the same transaction; the backup pass clears it once the record is on the mesh.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS backup_pending BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX IF NOT EXISTS jobs_backup_pending ON jobs (backup_pending);

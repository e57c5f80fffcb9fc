-- 0005_fewer_run_indexes: fewer index writes per run.
--
-- Every change of a run's status or lease rewrites its row with a new entry in every index of
-- `runs` (none of those updates can be HOT: status and lease columns are indexed), three to four
-- times per run. runs_lease_owner_idx (0002) served only the heartbeat's look for this host's
-- stray leases, which runs_lease_idx (the running runs by lease expiry, 0001) serves as well:
-- both hold only running runs, a few per host. Dropping it saves an index entry per write.
DROP INDEX IF EXISTS runs_lease_owner_idx;

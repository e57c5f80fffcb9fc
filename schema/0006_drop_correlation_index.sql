-- 0006_drop_correlation_index: one index fewer on every write of `runs`.
--
-- No query reads runs by correlation_id: the API lists a scenario's or an organization's runs
-- by status and time, and log lines carry the run id beside the correlation id. The index cost
-- an entry at the insert and again at every status change (none of them is HOT), for nothing.
-- A lookup by correlation id, if one is ever offered, should bring it back.
DROP INDEX IF EXISTS runs_correlation_idx;

-- 0004_retention: what retention needs to remove old runs in bulk cheaply.
--
-- runs_finished_idx  the finished runs by when they finished (their creation time when a run
--                    ended without a finish time), so a retention pass
--                    (host/src/maintenance/run_pruner.cpp) reads its oldest candidates in order
--                    from the index, batch after batch, without scanning the live queue. The
--                    status list and the expression must stay exactly those of the DELETE.
--
-- Node runs and logs go with their run by ON DELETE CASCADE (0001), each through an index on
-- run_id (node_runs_run_node_attempt_key, run_logs_run_idx); webhook deliveries keep their
-- row with run_id set to NULL (webhook_deliveries_run_idx).
CREATE INDEX runs_finished_idx ON runs ((coalesce(finished_at, created_at)))
    WHERE status IN ('succeeded', 'failed', 'cancelled', 'incomplete');

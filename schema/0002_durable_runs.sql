-- 0002_durable_runs: what the durable runtime needs beyond the initial model.
--
-- runs.cancel_requested_at  a cancel asked for while the run executes on some host; the host
--                           holding its lease sees it on its next heartbeat (or at once by
--                           NOTIFY) and stops the run at a node boundary.
-- runs.node_overrides       settings edited for a retry ({"<node id>": {settings}}), applied
--                           on top of the pinned version when the run continues.
-- node_runs.route           the output handles a node chose (null = all), so a replayed node
--                           routes as it did the first time.
-- node_runs.resume_at       a suspended node (system.delay): when the run continues.
ALTER TABLE runs ADD COLUMN cancel_requested_at timestamptz;
ALTER TABLE runs ADD COLUMN node_overrides jsonb CHECK (node_overrides IS NULL OR jsonb_typeof(node_overrides) = 'object');
ALTER TABLE node_runs ADD COLUMN route jsonb CHECK (route IS NULL OR jsonb_typeof(route) = 'array');
ALTER TABLE node_runs ADD COLUMN resume_at timestamptz;

-- Runs held by one host, for its heartbeat and its drain.
CREATE INDEX runs_lease_owner_idx ON runs (lease_owner) WHERE lease_owner IS NOT NULL;

-- 0003_polling_triggers: the polling trigger nodes of current scenario versions, kept in step
-- with each publish like schedules. The cursor itself lives in plugin_state (plugin, scope
-- "<scenario id>/<node id>", key "cursor") and is advanced in the transaction that queues the
-- runs for the events it covers, so a crash neither loses nor repeats an event.
CREATE TABLE polling_triggers (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scenario_id   uuid NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    node_id       text NOT NULL CHECK (node_id <> ''),
    plugin_id     text NOT NULL CHECK (plugin_id <> ''),
    trigger_id    text NOT NULL CHECK (trigger_id <> ''),
    plugin_major  integer NOT NULL CHECK (plugin_major >= 0),
    connection_id text,                 -- as the node names it; resolved per poll
    settings      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
    interval_s    integer NOT NULL CHECK (interval_s >= 1),
    next_poll_at  timestamptz NOT NULL DEFAULT now(),  -- pushed forward when a host takes the poll
    last_polled_at timestamptz,
    last_error    text,
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT polling_triggers_scenario_node_key UNIQUE (scenario_id, node_id)
);
CREATE INDEX polling_triggers_due_idx ON polling_triggers (next_poll_at) WHERE is_active;
CREATE TRIGGER polling_triggers_updated_at BEFORE UPDATE ON polling_triggers FOR EACH ROW EXECUTE FUNCTION set_updated_at();

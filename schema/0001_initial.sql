-- 0001_initial: the whole data model of Scenario Runtime.
--
-- Run by the migrator (host/src/db/migrator.cpp) inside one transaction; the migrator owns the
-- schema_migrations table, so it is not created here. Conventions: snake_case, uuid keys from
-- gen_random_uuid() unless a natural key exists, timestamptz defaulting to now(), a CHECK on
-- every status or enum column, foreign keys with an explicit ON DELETE where the default
-- (NO ACTION, checked at the end of the statement so cascades from a parent still work) is not
-- what we want.
--
-- The queries the code makes, and the index that serves each (no sequential scan on a hot path):
--   runs of a scenario, newest first, optionally by status  runs_scenario_created_idx,
--     (cursor pagination on created_at, id)                  runs_scenario_status_created_idx
--   runs ready to claim: status 'queued', available_at <= now(),
--     ORDER BY available_at FOR UPDATE SKIP LOCKED            runs_queued_idx (partial)
--   waiting runs (durable delays) whose time has come         runs_waiting_idx (partial)
--   running runs whose lease has expired (takeover)           runs_lease_idx (partial)
--   a run by correlation id                                   runs_correlation_idx
--   a run by (scenario, idempotency key)                      runs_idempotency_key (unique, partial)
--   runs in a time range (metrics, retention in bulk)         runs_created_idx
--   node runs of a run (and of one node of a run)             node_runs_run_node_attempt_key
--   logs of a run, in order                                   run_logs_run_idx
--   webhook endpoint by its public id                         webhook_endpoints_public_id_key
--   webhook delivery dedup by (endpoint, idempotency key)     webhook_deliveries_dedup_key
--   due schedules: active, next_fire_at <= now()              schedules_due_idx (partial)
--   latest version of an integration                          integration_versions_one_latest (partial unique)
--   versions of an integration (by version, by semver parts)  integration_versions_version_key,
--                                                             integration_versions_semver_idx
--   integration by manifest id                                integrations_manifest_id_key
--   connections of an organization                            connections_org_created_idx
--   connections still encrypted under an old key (rotation)   connections_key_id_idx
--   scenarios of an organization                              scenarios_org_updated_idx
--   the nodes and edges of a scenario version                 scenario_nodes_version_node_key,
--                                                             scenario_edges_version_edge_key
--   versions of a scenario by number                          scenario_versions_scenario_number_key
--   members of an organization / organizations of a user      organization_members_pkey,
--                                                             organization_members_user_idx
--   API token by hash                                         api_tokens_token_hash_key
--   audit log of an organization by time                      audit_logs_org_at_idx
--   audit log of one resource                                 audit_logs_resource_idx
--   plugin key/value state by (plugin, scope, key)            plugin_state_pkey
--   user by e-mail (case-insensitive)                         users_email_key

-- Keeps updated_at honest on every UPDATE, whoever writes the row.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Organizations, users, roles, API tokens
-- ---------------------------------------------------------------------------------------------

CREATE TABLE organizations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (name <> ''),
    slug        text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    description text,
    logo        text,
    plan        text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'enterprise')),
    settings    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_slug_key UNIQUE (slug)
);

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    name          text NOT NULL DEFAULT '',
    avatar        text,
    is_active     boolean NOT NULL DEFAULT true,
    last_login_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE organization_members (
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    permissions     text[] NOT NULL DEFAULT '{}',  -- grants beyond the role's table
    invited_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_user_idx ON organization_members (user_id);

-- A token is shown once; only its SHA-256 is kept. The prefix identifies it in listings.
CREATE TABLE api_tokens (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            text NOT NULL DEFAULT '',
    token_hash      bytea NOT NULL CHECK (octet_length(token_hash) = 32),
    prefix          text NOT NULL CHECK (prefix <> ''),
    scopes          text[] NOT NULL DEFAULT '{}',
    expires_at      timestamptz,
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_org_idx ON api_tokens (organization_id, created_at DESC);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- ---------------------------------------------------------------------------------------------
-- Integrations (plugins) and their versions, registered by the seeder from each manifest
-- ---------------------------------------------------------------------------------------------

CREATE TABLE integrations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    manifest_id text NOT NULL CHECK (manifest_id ~ '^[a-z][a-z0-9_]{0,63}$'),
    name        text NOT NULL CHECK (name <> ''),
    description text NOT NULL DEFAULT '',
    category    text NOT NULL DEFAULT '',
    icon        text NOT NULL DEFAULT '',
    color       text NOT NULL DEFAULT '',
    author      text NOT NULL DEFAULT '',
    keywords    text[] NOT NULL DEFAULT '{}',
    tags        text[] NOT NULL DEFAULT '{}',
    is_active   boolean NOT NULL DEFAULT true,  -- can be disabled without removing it
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT integrations_manifest_id_key UNIQUE (manifest_id)
);

-- One row per plugin package version. major/minor/patch/prerelease are the parsed semver so
-- versions order numerically ("1.10.0" > "1.9.0"); version keeps the text as the manifest has it.
CREATE TABLE integration_versions (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    integration_id     uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    version            text NOT NULL CHECK (version <> ''),
    major              integer NOT NULL CHECK (major >= 0),
    minor              integer NOT NULL CHECK (minor >= 0),
    patch              integer NOT NULL CHECK (patch >= 0),
    prerelease         text CHECK (prerelease <> ''),  -- NULL for a release
    manifest           jsonb NOT NULL CHECK (jsonb_typeof(manifest) = 'object'),
    is_latest          boolean NOT NULL DEFAULT false,
    deprecated         boolean NOT NULL DEFAULT false,
    deprecation_reason text,
    migration_guide    text,
    abi_major          integer NOT NULL CHECK (abi_major >= 0),
    abi_minor          integer NOT NULL CHECK (abi_minor >= 0),
    sha256             text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),  -- of the .so file
    file               text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT integration_versions_version_key UNIQUE (integration_id, version)
);
-- At most one latest version per integration; the seeder moves it inside one transaction.
CREATE UNIQUE INDEX integration_versions_one_latest ON integration_versions (integration_id) WHERE is_latest;
-- Newest version within a pinned major (scenario nodes pin their plugin's major).
CREATE INDEX integration_versions_semver_idx ON integration_versions (integration_id, major, minor, patch);

-- ---------------------------------------------------------------------------------------------
-- Connections: credentials encrypted with AES-256-GCM by the host (ciphertext || tag in
-- credentials, the 96-bit nonce beside it, key_id naming the master key used)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE connections (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    integration_id  uuid NOT NULL REFERENCES integrations (id) ON DELETE RESTRICT,
    connection_type text NOT NULL CHECK (connection_type ~ '^[a-z][a-z0-9_]{0,63}$'),  -- manifest connections[].id
    name            text NOT NULL CHECK (name <> ''),
    description     text,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'error', 'testing')),
    credentials     bytea NOT NULL,
    nonce           bytea NOT NULL CHECK (octet_length(nonce) = 12),
    key_id          text NOT NULL CHECK (key_id <> ''),
    masked_summary  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(masked_summary) = 'object'),
    last_tested_at  timestamptz,
    test_result     jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connections_org_created_idx ON connections (organization_id, created_at DESC);
CREATE INDEX connections_integration_idx ON connections (integration_id);
CREATE INDEX connections_key_id_idx ON connections (key_id);

-- ---------------------------------------------------------------------------------------------
-- Scenarios: an editable draft graph, immutable numbered versions, their nodes and edges
-- ---------------------------------------------------------------------------------------------

CREATE TABLE scenarios (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id    uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_by         uuid REFERENCES users (id) ON DELETE SET NULL,
    name               text NOT NULL CHECK (name <> ''),
    description        text,
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    -- While paused, new events are kept and run on resume ('queue') or refused ('reject').
    pause_policy       text NOT NULL DEFAULT 'queue' CHECK (pause_policy IN ('queue', 'reject')),
    current_version_id uuid,  -- FK added below, once scenario_versions exists
    -- The graph as edited, in React Flow shape: {"nodes": [...], "edges": [...], "viewport": {...}}.
    draft_graph        jsonb NOT NULL DEFAULT '{"nodes": [], "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}}'
                       CHECK (jsonb_typeof(draft_graph) = 'object'),
    draft_revision     bigint NOT NULL DEFAULT 0 CHECK (draft_revision >= 0),  -- bumped on every draft save (optimistic locking)
    settings           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
    run_count          bigint NOT NULL DEFAULT 0 CHECK (run_count >= 0),
    last_run_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scenarios_org_updated_idx ON scenarios (organization_id, updated_at DESC);

CREATE TABLE scenario_versions (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scenario_id    uuid NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    number         integer NOT NULL CHECK (number >= 1),
    label          text,
    definition     jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),  -- the published graph snapshot
    published_at   timestamptz NOT NULL DEFAULT now(),
    published_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    change_summary text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT scenario_versions_scenario_number_key UNIQUE (scenario_id, number),
    CONSTRAINT scenario_versions_id_scenario_key UNIQUE (id, scenario_id)  -- target of composite FKs
);

-- The current version must belong to the scenario itself. NO ACTION (not RESTRICT) so that
-- deleting a scenario cascades to its versions without tripping over its own pointer.
ALTER TABLE scenarios ADD CONSTRAINT scenarios_current_version_fkey
    FOREIGN KEY (current_version_id, id) REFERENCES scenario_versions (id, scenario_id);

CREATE TABLE scenario_nodes (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version_id     uuid NOT NULL,
    scenario_id    uuid NOT NULL,
    node_id        text NOT NULL CHECK (node_id <> ''),  -- the graph's id, unique within a version
    type           text NOT NULL CHECK (type <> ''),     -- React Flow node type, e.g. "action" or "trigger"
    plugin_id      text NOT NULL CHECK (plugin_id <> ''),  -- integrations.manifest_id
    operation_id   text,                                  -- the action or trigger id in the manifest
    plugin_major   integer NOT NULL CHECK (plugin_major >= 0),  -- the plugin major this node is pinned to
    connection_id  uuid REFERENCES connections (id),
    label          text,
    settings       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
    position_x     double precision NOT NULL DEFAULT 0,
    position_y     double precision NOT NULL DEFAULT 0,
    ui             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(ui) = 'object'),  -- width, height, ...
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT scenario_nodes_version_fkey FOREIGN KEY (version_id, scenario_id)
        REFERENCES scenario_versions (id, scenario_id) ON DELETE CASCADE,
    CONSTRAINT scenario_nodes_version_node_key UNIQUE (version_id, node_id)
);
CREATE INDEX scenario_nodes_connection_idx ON scenario_nodes (connection_id) WHERE connection_id IS NOT NULL;

CREATE TABLE scenario_edges (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version_id     uuid NOT NULL,
    scenario_id    uuid NOT NULL,
    edge_id        text NOT NULL CHECK (edge_id <> ''),
    source_node_id text NOT NULL,
    target_node_id text NOT NULL,
    source_handle  text,
    target_handle  text,
    label          text,
    kind           text NOT NULL DEFAULT 'success' CHECK (kind IN ('success', 'error', 'condition')),
    condition      jsonb,
    ui             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(ui) = 'object'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (source_node_id <> target_node_id),
    CONSTRAINT scenario_edges_version_fkey FOREIGN KEY (version_id, scenario_id)
        REFERENCES scenario_versions (id, scenario_id) ON DELETE CASCADE,
    -- Edges name nodes of their own version only.
    CONSTRAINT scenario_edges_source_fkey FOREIGN KEY (version_id, source_node_id)
        REFERENCES scenario_nodes (version_id, node_id) ON DELETE CASCADE,
    CONSTRAINT scenario_edges_target_fkey FOREIGN KEY (version_id, target_node_id)
        REFERENCES scenario_nodes (version_id, node_id) ON DELETE CASCADE,
    CONSTRAINT scenario_edges_version_edge_key UNIQUE (version_id, edge_id)
);
CREATE INDEX scenario_edges_target_idx ON scenario_edges (version_id, target_node_id);

-- ---------------------------------------------------------------------------------------------
-- Runs: the work queue (claimed with FOR UPDATE SKIP LOCKED under a lease) and the run record
-- ---------------------------------------------------------------------------------------------

CREATE TABLE runs (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scenario_id      uuid NOT NULL,
    version_id       uuid NOT NULL,  -- pinned at start; a later publish does not move it
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN
                     ('pending', 'queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'incomplete')),
    trigger_kind     text NOT NULL CHECK (trigger_kind IN ('manual', 'webhook', 'schedule', 'polling', 'api', 'retry')),
    trigger_node_id  text,
    trigger_data     jsonb NOT NULL DEFAULT '{}',
    correlation_id   text NOT NULL CHECK (correlation_id <> ''),
    idempotency_key  text CHECK (idempotency_key <> ''),
    available_at     timestamptz NOT NULL DEFAULT now(),  -- not claimable before (backoff, durable delays)
    lease_owner      text,
    lease_expires_at timestamptz,
    attempt          integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),  -- bumped on each claim after a lost lease
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    duration_ms      bigint CHECK (duration_ms >= 0),
    error_code       text,
    error_message    text,
    error_node_id    text,
    CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL)),
    CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at),
    CONSTRAINT runs_version_fkey FOREIGN KEY (version_id, scenario_id)
        REFERENCES scenario_versions (id, scenario_id) ON DELETE CASCADE,
    CONSTRAINT runs_scenario_fkey FOREIGN KEY (scenario_id) REFERENCES scenarios (id) ON DELETE CASCADE
);
-- Read backwards for newest first; (created_at, id) is the pagination cursor.
CREATE INDEX runs_scenario_created_idx ON runs (scenario_id, created_at, id);
CREATE INDEX runs_scenario_status_created_idx ON runs (scenario_id, status, created_at, id);
CREATE INDEX runs_queued_idx ON runs (available_at) WHERE status = 'queued';
CREATE INDEX runs_waiting_idx ON runs (available_at) WHERE status = 'waiting';
CREATE INDEX runs_lease_idx ON runs (lease_expires_at) WHERE status = 'running';
CREATE INDEX runs_correlation_idx ON runs (correlation_id);
CREATE INDEX runs_created_idx ON runs (created_at);
CREATE UNIQUE INDEX runs_idempotency_key ON runs (scenario_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE node_runs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id          uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    node_id         text NOT NULL CHECK (node_id <> ''),
    plugin_id       text,  -- for metrics by integration and action
    operation_id    text,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN
                    ('pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled')),
    input           jsonb,
    output          jsonb,
    error_code      text,
    error_message   text,
    attempt         integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    idempotency_key text NOT NULL CHECK (idempotency_key <> ''),  -- stable across retries of this node in this run
    started_at      timestamptz,
    finished_at     timestamptz,
    duration_ms     bigint CHECK (duration_ms >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at),
    CONSTRAINT node_runs_run_node_attempt_key UNIQUE (run_id, node_id, attempt)
);

-- High volume, append-only: a bigint identity is cheaper than a uuid and orders the log.
CREATE TABLE run_logs (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    node_id        text,
    level          text NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
    message        text NOT NULL,
    data           jsonb,
    correlation_id text,
    at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX run_logs_run_idx ON run_logs (run_id, id);

-- ---------------------------------------------------------------------------------------------
-- Triggers: webhook endpoints and their deliveries, schedules, plugin key/value state
-- ---------------------------------------------------------------------------------------------

CREATE TABLE webhook_endpoints (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    public_id           text NOT NULL CHECK (public_id ~ '^[A-Za-z0-9_-]{8,128}$'),  -- the {endpoint} in /webhooks/{endpoint}
    scenario_id         uuid NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    node_id             text NOT NULL CHECK (node_id <> ''),
    secret              bytea,  -- AES-256-GCM ciphertext || tag, as for connections
    secret_nonce        bytea CHECK (octet_length(secret_nonce) = 12),
    secret_key_id       text,
    verification        text NOT NULL DEFAULT 'hmac_sha256' CHECK (verification IN ('hmac_sha256', 'stripe', 'monday', 'none')),
    method              text NOT NULL DEFAULT 'POST' CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')),
    response_mode       text NOT NULL DEFAULT 'async' CHECK (response_mode IN ('async', 'sync')),
    response_timeout_ms integer NOT NULL DEFAULT 10000 CHECK (response_timeout_ms > 0),
    is_active           boolean NOT NULL DEFAULT true,
    last_triggered_at   timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- A secret is all three columns or none; which schemes need one is the host's rule.
    CHECK ((secret IS NULL) = (secret_nonce IS NULL) AND (secret IS NULL) = (secret_key_id IS NULL)),
    CONSTRAINT webhook_endpoints_public_id_key UNIQUE (public_id),
    CONSTRAINT webhook_endpoints_scenario_node_key UNIQUE (scenario_id, node_id)
);

-- One row per distinct delivery: a duplicate (same endpoint and Idempotency-Key or provider
-- event id) finds the first run here and starts nothing.
CREATE TABLE webhook_deliveries (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    webhook_endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    idempotency_key     text NOT NULL CHECK (idempotency_key <> ''),
    run_id              uuid REFERENCES runs (id) ON DELETE SET NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_deliveries_dedup_key UNIQUE (webhook_endpoint_id, idempotency_key)
);
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);
CREATE INDEX webhook_deliveries_run_idx ON webhook_deliveries (run_id) WHERE run_id IS NOT NULL;

CREATE TABLE schedules (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scenario_id   uuid NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    node_id       text NOT NULL CHECK (node_id <> ''),
    cron          text NOT NULL CHECK (cron <> ''),
    timezone      text NOT NULL DEFAULT 'UTC' CHECK (timezone <> ''),
    catch_up      text NOT NULL DEFAULT 'skip' CHECK (catch_up IN ('skip', 'run_once', 'run_all')),
    next_fire_at  timestamptz,
    last_fired_at timestamptz,
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schedules_scenario_node_key UNIQUE (scenario_id, node_id)
);
CREATE INDEX schedules_due_idx ON schedules (next_fire_at) WHERE is_active AND next_fire_at IS NOT NULL;

-- Per-plugin durable key/value state (trigger cursors). No FK to integrations: a plugin's state
-- outlives a re-seed and is keyed by its manifest id.
CREATE TABLE plugin_state (
    plugin_id  text NOT NULL CHECK (plugin_id <> ''),
    scope      text NOT NULL,
    key        text NOT NULL,
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plugin_id, scope, key)
);

-- ---------------------------------------------------------------------------------------------
-- Templates, settings, audit
-- ---------------------------------------------------------------------------------------------

CREATE TABLE scenario_templates (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                   text NOT NULL CHECK (name <> ''),
    description            text NOT NULL DEFAULT '',
    category               text NOT NULL DEFAULT '',
    tags                   text[] NOT NULL DEFAULT '{}',
    author                 text NOT NULL DEFAULT '',
    author_user_id         uuid REFERENCES users (id) ON DELETE SET NULL,
    author_organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL,
    definition             jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    required_integrations  text[] NOT NULL DEFAULT '{}',
    usage_count            bigint NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
    rating                 numeric(3, 2) NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    rating_count           integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    is_official            boolean NOT NULL DEFAULT false,
    is_public              boolean NOT NULL DEFAULT false,
    price_cents            integer CHECK (price_cents >= 0),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scenario_templates_public_category_idx ON scenario_templates (category, usage_count DESC) WHERE is_public;
CREATE INDEX scenario_templates_org_idx ON scenario_templates (author_organization_id) WHERE author_organization_id IS NOT NULL;

CREATE TABLE settings (
    key         text PRIMARY KEY CHECK (key <> ''),
    value       jsonb NOT NULL,
    description text,
    updated_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Kept when the organization or user goes away (SET NULL): the trail outlives what it describes.
CREATE TABLE audit_logs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL,
    user_id         uuid REFERENCES users (id) ON DELETE SET NULL,
    action          text NOT NULL CHECK (action <> ''),
    resource_type   text NOT NULL CHECK (resource_type <> ''),
    resource_id     text,
    details         jsonb NOT NULL DEFAULT '{}',
    ip              inet,
    user_agent      text,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_org_at_idx ON audit_logs (organization_id, at DESC);
CREATE INDEX audit_logs_resource_idx ON audit_logs (resource_type, resource_id);
CREATE INDEX audit_logs_user_idx ON audit_logs (user_id) WHERE user_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- updated_at maintenance
-- ---------------------------------------------------------------------------------------------

CREATE TRIGGER organizations_updated_at BEFORE UPDATE ON organizations FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER organization_members_updated_at BEFORE UPDATE ON organization_members FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER integrations_updated_at BEFORE UPDATE ON integrations FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER integration_versions_updated_at BEFORE UPDATE ON integration_versions FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER connections_updated_at BEFORE UPDATE ON connections FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER scenarios_updated_at BEFORE UPDATE ON scenarios FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER webhook_endpoints_updated_at BEFORE UPDATE ON webhook_endpoints FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER schedules_updated_at BEFORE UPDATE ON schedules FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER plugin_state_updated_at BEFORE UPDATE ON plugin_state FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER scenario_templates_updated_at BEFORE UPDATE ON scenario_templates FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER settings_updated_at BEFORE UPDATE ON settings FOR EACH ROW EXECUTE FUNCTION set_updated_at();

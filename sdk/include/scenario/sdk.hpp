#pragma once
// The Scenario Runtime plugin SDK for C++: a header-only layer over the C ABI in
// sr_plugin.h. Define an integration (metadata, connection types, actions, triggers) with
// handlers written as plain functions, and generate the plugin entry with SR_PLUGIN().
// See sdk/README.md for a walk-through and sdk/docs/manifest.md for the manifest it emits.
#include <scenario/sr_plugin.h>

#include <scenario/cpp/action.hpp>
#include <scenario/cpp/action_context.hpp>
#include <scenario/cpp/completion.hpp>
#include <scenario/cpp/connection_type.hpp>
#include <scenario/cpp/dynamic_field.hpp>
#include <scenario/cpp/flow_kind.hpp>
#include <scenario/cpp/handler.hpp>
#include <scenario/cpp/http_client.hpp>
#include <scenario/cpp/integration.hpp>
#include <scenario/cpp/json_arg.hpp>
#include <scenario/cpp/kv_store.hpp>
#include <scenario/cpp/plugin.hpp>
#include <scenario/cpp/result.hpp>
#include <scenario/cpp/status.hpp>
#include <scenario/cpp/trigger.hpp>
#include <scenario/cpp/truthy.hpp>
#include <scenario/cpp/unique_function.hpp>

#pragma once
// Everything of the store part in one include.
#include "store/admin_lookup.hpp"
#include "store/problem_json.hpp"
#include "store/row_json.hpp"
#include "store/run_queries.hpp"
#include "store/run_retention.hpp"
#include "store/scenario_repository.hpp"
#include "store/store_error.hpp"
#include "store/version_repository.hpp"

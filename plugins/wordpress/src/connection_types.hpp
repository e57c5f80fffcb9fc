#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// Application password (Basic auth: username + application password) and bearer token
// (e.g. a JWT or OAuth plugin's token). Both are testable: GET /wp/v2/users/me must answer
// as a logged-in user (a wrong password on a public endpoint would look anonymous, not 401).
sdk::connection_type app_password_connection();
sdk::connection_type bearer_token_connection();

} // namespace sr::plugins::wordpress

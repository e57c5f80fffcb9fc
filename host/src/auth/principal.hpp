#pragma once
// Who makes a request: the token's user, in the token's organization, with the member's role.
#include <string>

#include "auth/permissions.hpp"

namespace sr::host {

struct principal {
    std::string user_id;
    std::string org_id;
    sr::host::role role = sr::host::role::viewer;
    std::string token_id;
};

} // namespace sr::host

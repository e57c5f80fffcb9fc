#include "auth/permissions.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace sr::host {
namespace {

using enum permission;

constexpr std::array admin_permissions{
    scenario_create,   scenario_read,   scenario_update,   scenario_delete,   scenario_execute,
    connection_create, connection_read, connection_update, connection_delete, connection_test,
    org_member_invite, org_member_remove, org_member_role_update, org_settings_update, webhook_secret_manage,
};
constexpr std::array member_permissions{
    scenario_create, scenario_read, scenario_update, scenario_execute, connection_read, connection_test,
};
constexpr std::array viewer_permissions{scenario_read, connection_read};

template <std::size_t N>
bool contains(const std::array<permission, N>& set, permission p) noexcept {
    return std::find(set.begin(), set.end(), p) != set.end();
}

} // namespace

bool allowed(role r, permission p) noexcept {
    switch (r) {
    case role::owner: return true;
    case role::admin: return contains(admin_permissions, p);
    case role::member: return contains(member_permissions, p);
    case role::viewer: return contains(viewer_permissions, p);
    }
    return false;
}

std::string_view to_string(role r) noexcept {
    switch (r) {
    case role::owner: return "owner";
    case role::admin: return "admin";
    case role::member: return "member";
    case role::viewer: return "viewer";
    }
    return "viewer";
}

std::optional<role> parse_role(std::string_view text) noexcept {
    for (role r : {role::owner, role::admin, role::member, role::viewer})
        if (to_string(r) == text) return r;
    return std::nullopt;
}

std::string_view to_string(permission p) noexcept {
    switch (p) {
    case scenario_create: return "scenario:create";
    case scenario_read: return "scenario:read";
    case scenario_update: return "scenario:update";
    case scenario_delete: return "scenario:delete";
    case scenario_execute: return "scenario:execute";
    case connection_create: return "connection:create";
    case connection_read: return "connection:read";
    case connection_update: return "connection:update";
    case connection_delete: return "connection:delete";
    case connection_test: return "connection:test";
    case org_member_invite: return "org:member:invite";
    case org_member_remove: return "org:member:remove";
    case org_member_role_update: return "org:member:role:update";
    case org_settings_update: return "org:settings:update";
    case system_admin: return "system:admin";
    case system_monitoring: return "system:monitoring";
    case system_config: return "system:config";
    case webhook_secret_manage: return "webhook:secret:manage";
    }
    return "";
}

} // namespace sr::host

#pragma once
// Roles and permissions, as the product documents define them (RolePermissions): owner has
// everything; admin everything but the system permissions; member creates, reads, changes and
// runs scenarios and reads and tests connections; viewer only reads. Beyond the documents:
// webhook_secret_manage (reveal and rotate a webhook endpoint's secret) is owner and admin only,
// appended after the documents' permissions so their numbering stays.
#include <optional>
#include <string_view>

namespace sr::host {

enum class role { owner, admin, member, viewer };

enum class permission {
    scenario_create,
    scenario_read,
    scenario_update,
    scenario_delete,
    scenario_execute,
    connection_create,
    connection_read,
    connection_update,
    connection_delete,
    connection_test,
    org_member_invite,
    org_member_remove,
    org_member_role_update,
    org_settings_update,
    system_admin,
    system_monitoring,
    system_config,
    webhook_secret_manage,
};

bool allowed(role r, permission p) noexcept;

// "owner", "admin", "member", "viewer" (the organization_members.role values).
std::string_view to_string(role r) noexcept;
std::optional<role> parse_role(std::string_view text) noexcept;
// "scenario:create", ... as in the product documents.
std::string_view to_string(permission p) noexcept;

} // namespace sr::host

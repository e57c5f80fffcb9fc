<?php
// Completes a WordPress install without a browser (run by tools/testing/wordpress.sh).
//   php install.php HOST_HEADER ADMIN_PASSWORD OUTPUT_FILE
// Creates the site and the "admin" user, turns on pretty permalinks and writes a fresh
// Application Password for admin to OUTPUT_FILE (one line, mode 0600).
if ($argc !== 4) {
    fwrite(STDERR, "usage: php install.php HOST_HEADER ADMIN_PASSWORD OUTPUT_FILE\n");
    exit(2);
}
[, $host, $admin_password, $output_file] = $argv;

// Debian's wp-config.php picks /etc/wordpress/config-<host>.php from the Host header.
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['SERVER_NAME'] = preg_replace('/:.*/', '', $host);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
define('WP_INSTALLING', true);

require_once '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (is_blog_installed()) {
    fwrite(STDERR, "install.php: WordPress is already installed in this database\n");
    exit(1);
}
// wp_install() mails the admin; with no sendmail here that only prints a warning.
$result = wp_install('Scenario Runtime test site', 'admin', 'admin@example.invalid', false, '', $admin_password);
$user_id = (int) $result['user_id'];
if ($user_id <= 0) {
    fwrite(STDERR, "install.php: wp_install did not create the admin user\n");
    exit(1);
}

global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%postname%/');
flush_rewrite_rules(false);

$created = WP_Application_Passwords::create_new_application_password($user_id, ['name' => 'scenario-runtime-tests']);
if (is_wp_error($created)) {
    fwrite(STDERR, 'install.php: application password: ' . $created->get_error_message() . "\n");
    exit(1);
}
[$app_password] = $created;

$old_umask = umask(077);
if (file_put_contents($output_file, $app_password . "\n") === false) {
    fwrite(STDERR, "install.php: cannot write $output_file\n");
    exit(1);
}
umask($old_umask);
fwrite(STDERR, "install.php: installed WordPress " . get_bloginfo('version') . " for user id $user_id\n");

<?php
// Router for PHP's built-in server in front of Debian's WordPress (tools/testing/wordpress.sh).
// Debian keeps wp-content (uploads, plugins, themes) in /var/lib/wordpress, outside the
// document root, and the built-in server has no rewrite rules: this script plays both parts.
$wp_root = $_SERVER['DOCUMENT_ROOT'];
$content_root = '/var/lib/wordpress/wp-content';
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');

// Static files under /wp-content/ (uploaded media above all) come from /var/lib/wordpress.
if (str_starts_with($path, '/wp-content/')) {
    $relative = substr($path, strlen('/wp-content/'));
    foreach ([$content_root, $wp_root . '/wp-content'] as $base) {
        $file = realpath($base . '/' . $relative);
        $base_real = realpath($base);
        if ($file === false || $base_real === false || !str_starts_with($file, $base_real . '/') || !is_file($file)) {
            continue;
        }
        if (str_ends_with($file, '.php')) {
            http_response_code(403);
            return true;
        }
        header('Content-Type: ' . (mime_content_type($file) ?: 'application/octet-stream'));
        header('Content-Length: ' . filesize($file));
        readfile($file);
        return true;
    }
}

// Real files and directories inside the document root: let the server handle them itself.
if ($path !== '/' && file_exists($wp_root . $path) && !str_starts_with($path, '/wp-content/')) {
    return false;
}

// Everything else is a "pretty" URL (/wp-json/..., /sample-post/): WordPress's front controller.
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $wp_root . '/index.php';
chdir($wp_root);
require $wp_root . '/index.php';

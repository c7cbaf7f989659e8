import { patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

const PHP_FUNCTIONS =
  'system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|assert_options|create_function|call_user_func(?:_array)?|preg_replace|base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|convert_uudecode|hex2bin|file_get_contents|file_put_contents|fopen|fwrite|fputs|readfile|include|require|phpinfo|unserialize|serialize|highlight_file|show_source|parse_ini_file|move_uploaded_file|chmod|unlink|rmdir|mkdir|symlink|mail|posix_\\w+|ini_set|ini_get|putenv|getenv|dl|apache_setenv|array_map|array_filter|usort|uasort|ob_start|register_shutdown_function|register_tick_function|extract|parse_str|var_dump|print_r|var_export|get_defined_vars|phpversion|php_uname|getcwd|scandir|glob|opendir|readdir|stream_get_contents|curl_exec|fsockopen|pfsockopen';

/** PHP code injection: open tags, superglobals, dangerous functions, wrappers and serialized objects. */
export const PHP_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'php.open-tag',
    family: 'php',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'PHP injection: PHP open tag',
    pattern: /<\?(?!xml\b)(?:php\b|=|\s)|\[php\]|\{php\}|<\?$/,
  }),
  patternRule({
    id: 'php.superglobal',
    family: 'php',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'PHP injection: superglobal variable',
    pattern:
      /\$_(?:get|post|cookie|server|request|files|env|session)\b|\$globals\b|\$http_(?:raw_post_data|\w+_vars)\b|php:\/\/(?:input|filter|stdin|fd|memory|temp)/,
  }),
  patternRule({
    id: 'php.function-call',
    family: 'php',
    severity: 'critical',
    paranoia: 1,
    message: 'PHP injection: dangerous function call',
    pattern: new RegExp(`(?:^|[^a-z0-9_>$.-])(?:${PHP_FUNCTIONS})\\s*(?:/\\*.*?\\*/\\s*)*(?:\\(|\\[|\`)`),
  }),
  patternRule({
    id: 'php.wrapper',
    family: 'php',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'PHP injection: stream wrapper',
    pattern:
      /\b(?:php|phar|zip|zlib|compress\.(?:zlib|bzip2)|glob|data|expect|ogg|rar|ssh2\.(?:shell|exec|tunnel|sftp|scp))(?::\/\/|:\/|:[a-z]+\/)/,
  }),
  patternRule({
    id: 'php.serialized-object',
    family: 'php',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'PHP injection: serialized object',
    pattern: /\b[oc]:\+?\d+:"[^"]*":\d+:\{|\ba:\d+:\{(?:[sibdn]:\d+|\})/,
  }),
  patternRule({
    id: 'php.variable-function',
    family: 'php',
    severity: 'critical',
    paranoia: 1,
    message: 'PHP injection: variable function or string call',
    pattern:
      /\$+\{?[a-z_\x7f-\uffff][\w\x7f-\uffff]*\}?(?:\[[^\]]*\])*\s*(?:\(|\/\*|`)|\$\s*\{[^}]*\}\s*\(|\(\s*['"]?[a-z_]+['"]?\s*\)\s*\(|['"]\w+['"]\s*\.\s*['"]\w+['"]\s*\)?\s*\(|\$\w+\s*=\s*['"]?(?:system|exec|assert|eval)\b/,
  }),
  patternRule({
    id: 'php.config-directive',
    family: 'php',
    severity: 'critical',
    paranoia: 1,
    message: 'PHP injection: configuration directive',
    pattern:
      /\b(?:allow_url_(?:include|fopen)|auto_(?:prepend|append)_file|disable_functions|open_basedir|safe_mode|register_globals|magic_quotes_gpc|suhosin\.\w+|display_errors|file_uploads)\s*=/,
  }),
  patternRule({
    id: 'php.file-upload',
    family: 'php',
    severity: 'critical',
    paranoia: 1,
    kinds: ['filename', 'header'],
    message: 'PHP injection: script file upload',
    pattern: /\.(?:php\d?|phtml|pht|phar|phps|inc)(?:\.|$|\s|;)/,
  }),
];

import { ARG_KINDS, patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

const OS_FILES =
  'etc/(?:passwd|shadow|group|hosts|issue|motd|crontab|sudoers|fstab|hostname|resolv\\.conf|ssh/|mysql/|apache2?/|nginx/|httpd/|php\\d?/|environment|profile|bashrc|master\\.passwd|security/|pam\\.d/|init\\.d/)|proc/(?:self|\\d+)/(?:environ|cmdline|fd|maps|mem|status|cwd|root)|proc/(?:version|mounts|net/)|var/log/|var/(?:www|lib)/|root/\\.|home/[^/]+/\\.|\\.ssh/(?:id_|authorized_keys|known_hosts)|id_(?:rsa|dsa|ecdsa|ed25519)\\b|\\.aws/credentials|\\.docker/config|\\.kube/config|\\.git/(?:config|head|index)|\\.svn/|\\.htpasswd|\\.htaccess|\\.env\\b|web\\.config|wp-config\\.php|boot\\.ini|win\\.ini|system\\.ini|windows/(?:system32|win\\.ini|repair)|system32/|winnt/|inetpub/|\\.bash_history|\\.mysql_history|\\.npmrc|\\.pgpass|\\.netrc';

/** Path traversal and local file inclusion. */
export const LFI_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'lfi.traversal',
    family: 'lfi',
    severity: 'critical',
    paranoia: 1,
    message: 'Path traversal: ../ sequence',
    pattern: /(?:^|[\\/;=:])\.{2,}[\\/;]|[\\/]\.{2,}(?:$|[\\/;?])|\.{2,}\\|^\.{2,}$/,
  }),
  patternRule({
    id: 'lfi.os-file',
    family: 'lfi',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Local file inclusion: sensitive system file',
    pattern: new RegExp(`(?:^|[\\\\/.:=\\s"'\`(]|file:)(?:${OS_FILES})`),
  }),
  patternRule({
    id: 'lfi.traversal-encoded',
    family: 'lfi',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    on: 'raw',
    message: 'Path traversal: encoded dot-dot',
    pattern:
      /(?:%2e|%c0%ae|%e0%80%ae|%u002e|\.){2}(?:%2f|%5c|%c0%af|%u2215|%u2216|%e0%80%af)|(?:%2e|%c0%ae|%u002e){2}[/\\]/i,
  }),
  patternRule({
    id: 'lfi.absolute-path',
    family: 'lfi',
    severity: 'warning',
    paranoia: 2,
    kinds: ARG_KINDS,
    message: 'Local file inclusion: absolute file path in an argument',
    pattern:
      /^(?:\/(?:etc|proc|var|usr|bin|sbin|root|home|tmp|dev|sys|boot|opt)\/|[a-z]:\\|\\\\[a-z0-9.]+\\)/,
  }),
];

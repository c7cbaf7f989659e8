import { ARG_KINDS, VALUE_KINDS, patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

const UNIX_COMMANDS =
  'cat|tac|nl|head|tail|more|less|ls|dir|id|whoami|uname|hostname|ifconfig|ip\\s+a|netstat|ps|wget|curl|lwp-download|fetch|nc|ncat|netcat|socat|telnet|ssh|scp|tftp|ftp|bash|sh|zsh|ksh|csh|dash|busybox|python[23]?|perl|ruby|php|node|lua|java|gcc|chmod|chown|chattr|rm|mv|cp|touch|mkdir|echo|printf|ping|nslookup|dig|host|sleep|kill|pkill|crontab|env|printenv|export|set|sudo|su|passwd|useradd|base64|xxd|od|awk|gawk|sed|grep|find|xargs|tee|dd|nohup|timeout|exec|eval|sort|uniq|cut|rev|tr|wc|md5sum|openssl|powershell|pwsh|cmd|certutil|bitsadmin|mshta|rundll32|regsvr32|wmic|net\\s+user|systeminfo|tasklist|taskkill|type|del|copy';

/** OS command injection: separators followed by commands, substitutions, shells and Windows batch. */
export const RCE_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'rce.command-chain',
    family: 'rce',
    severity: 'critical',
    paranoia: 1,
    message: 'Command injection: separator followed by a command',
    keys: false,
    pattern: new RegExp(
      `(?:[;|&\`\\n\\r]|\\$\\(|\\|\\||&&)\\s*(?:\\{\\s*|\\(\\s*)?(?:/(?:usr/)?(?:local/)?s?bin/)?(?:${UNIX_COMMANDS})(?:\\.exe)?(?:$|[\\s;|&<>\`'"${'$'}{(,/]|\\$\\{?ifs)`,
    ),
  }),
  patternRule({
    id: 'rce.substitution',
    family: 'rce',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Command injection: command substitution or IFS evasion',
    pattern: new RegExp(
      `\\$\\(\\s*(?:/(?:usr/)?s?bin/)?(?:${UNIX_COMMANDS})(?:\\s|\\)|$)|\\$\\{ifs\\}|\\$ifs\\b|\\$\\{[a-z_]+:\\d+:\\d+\\}|\\$\\{path\\b`,
    ),
  }),
  patternRule({
    id: 'rce.evasion',
    family: 'rce',
    severity: 'critical',
    paranoia: 1,
    message: 'Command injection: backtick command or quoting evasion',
    pattern: new RegExp(
      `\`\\s*(?:/(?:usr/)?s?bin/)?(?:${UNIX_COMMANDS})(?:\\s|\`)[^\`]*\`|;\\s*\\$[a-z_]+\\s|\\b[a-z]\\$@[a-z]|\\b[a-z]+\\\\[a-z]+\\s|\\b[a-z]+(?:''|"")[a-z]+\\b`,
    ),
  }),
  patternRule({
    id: 'rce.shell-path',
    family: 'rce',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Command injection: shell or interpreter path',
    pattern:
      /\/(?:usr\/)?(?:local\/)?s?bin\/(?:ba|da|z|k|c|tc)?sh\b|\/bin\/(?:busybox|nc|netcat|python|perl|ruby)|\/dev\/(?:tcp|udp)\/|\bcmd(?:\.exe)?\s+\/[ck]\b|\bpowershell(?:\.exe)?\s+-/,
  }),
  patternRule({
    id: 'rce.shellshock',
    family: 'rce',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    allHeaders: true,
    message: 'Command injection: shellshock function definition',
    pattern: /\(\s*\)\s*\{[^}]*;\s*\}/,
  }),
  patternRule({
    id: 'rce.windows-batch',
    family: 'rce',
    severity: 'critical',
    paranoia: 1,
    kinds: ARG_KINDS,
    message: 'Command injection: Windows FOR/IF batch syntax',
    pattern:
      /\bfor\s+(?:\/[dflr]\b[^%]*)?%%?[~\w]+\s+in\s*\(|\bif\s+(?:\/i\s+)?(?:not\s+)?(?:exist|defined|errorlevel|cmdextversion)\b|\bif\s+(?:\/i\s+)?(?:not\s+)?(?:"[^"]*"|%[^%\s]+%|\([^)]*\)|\S+)\s*(?:==|\s(?:equ|neq|lss|leq|gtr|geq)\s)/,
  }),
  patternRule({
    id: 'rce.powershell',
    family: 'rce',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Command injection: PowerShell cmdlet',
    pattern:
      /\b(?:invoke-(?:expression|webrequest|command|item|restmethod|wmimethod|shellcode|mimikatz)|iex\s*\(|new-object\s+(?:net\.webclient|system\.)|start-process|downloadstring|downloadfile|set-executionpolicy|-encodedcommand|-enc\s+[a-z0-9+/=]{16})/,
  }),
  patternRule({
    id: 'rce.unix-command-args',
    family: 'rce',
    severity: 'critical',
    paranoia: 2,
    kinds: VALUE_KINDS,
    message: 'Command injection: command with typical arguments',
    pattern:
      /^(?:cat|ls|id|wget|curl|nc|ncat|bash|sh|python|perl|ping|nslookup|chmod|rm|echo|uname|whoami|alias|ping)\s+(?:-[a-z]+|\/|[a-z]+:\/\/|\$)|\b(?:nc|ncat|netcat)\s+-[elvnp]+\b|\bchmod\s+[+0-7]|\bwget\s+https?:|\bcurl\s+(?:-[a-z]+\s+)*https?:/,
  }),
];

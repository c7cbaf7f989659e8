import type { RequestRule } from '../types.js';

const SCANNERS =
  /\b(?:sqlmap|nikto|nmap|masscan|zgrab|zmap|nessus|openvas|acunetix|netsparker|invicti|appscan|webinspect|w3af|arachni|skipfish|wpscan|joomscan|droopescan|dirbuster|dirb|gobuster|feroxbuster|ffuf|wfuzz|nuclei|jaeles|havij|sqlninja|bsqlbf|pangolin|commix|xsser|fimap|paros|burpcollaborator|whatweb|wapiti|vega\/|zap\/|owasp zap|hydra|medusa|brutus|morfeus|zmeu|muieblackcat|jorgee|masscan-ng|httpx - open-source|interactsh|qualys|metasploit|w3m\/.*scan|bbqsql|absinthe|webshag|vooki|cgichk|dotdotpwn|struts-pwn|satori|python-requests\/[\d.]+ \(scanner\))/i;

/** Attack tools and vulnerability scanners recognised by their User-Agent. */
export const SCANNER_RULES: readonly RequestRule[] = [
  {
    id: 'scanner.user-agent',
    headOnly: true,
    family: 'scanner',
    severity: 'critical',
    paranoia: 1,
    message: 'Scanner: attack tool or vulnerability scanner user agent',
    check(context) {
      for (const agent of context.headers.get('user-agent') ?? []) {
        const found = SCANNERS.exec(agent);
        if (found) return { field: 'headers.user-agent', matched: found[0] };
      }
      return undefined;
    },
  },
];

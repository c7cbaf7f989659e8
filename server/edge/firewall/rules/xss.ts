import { patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

const DANGEROUS_TAGS =
  'script|iframe|frame|frameset|object|embed|applet|svg|math|img|image|video|audio|source|track|body|html|style|link|meta|base|form|input|button|select|textarea|isindex|details|marquee|xss|animate\\w*|set|handler|listener|template|portal|noscript|xmp|plaintext|bgsound|layer|ilayer|keygen|dialog|a';

/** Cross-site scripting: tags, event handlers and script URIs, matched after HTML, URL and unicode decoding. */
export const XSS_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'xss.script-tag',
    family: 'xss',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'XSS: script tag',
    pattern: /<\s*\/?\s*script\b[^<]*(?:>|$)|<\s*script/,
  }),
  patternRule({
    id: 'xss.tag-handler',
    family: 'xss',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'XSS: HTML tag with an event handler or script attribute',
    pattern:
      /<[a-z!?/][^>]*?[\s"'/;`]on[a-z]{3,}\s*=|<[a-z][^>]*?\s(?:src|href|action|formaction|data|xlink:href|srcdoc|background|dynsrc|lowsrc|style)\s*=\s*['"`]?\s*(?:javascript|vbscript|livescript|data\s*:\s*text\/html)/,
  }),
  patternRule({
    id: 'xss.script-uri',
    family: 'xss',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'XSS: javascript:/vbscript: URI',
    pattern:
      /(?:^|[\s"'`=(:<,])(?:javascript|vbscript|livescript|mocha)\s*:|data\s*:\s*(?:text\/html|image\/svg\+xml|application\/(?:x-)?javascript)[;,]/,
  }),
  patternRule({
    id: 'xss.dangerous-tag',
    family: 'xss',
    severity: 'critical',
    paranoia: 1,
    message: 'XSS: active HTML tag',
    pattern: new RegExp(`<\\s*/?\\s*(?:${DANGEROUS_TAGS})\\b[^<]*?(?:[\\s/>]|$)`),
  }),
  patternRule({
    id: 'xss.event-handler',
    family: 'xss',
    severity: 'critical',
    paranoia: 1,
    message: 'XSS: event handler attribute',
    pattern: /(?:^|[\s"'`/;,(+])on(?!line|ly|set|going|board|ion|ce\b)[a-z]{3,25}\s*=\s*[^=\s]/,
  }),
  patternRule({
    id: 'xss.js-sink',
    family: 'xss',
    severity: 'critical',
    paranoia: 1,
    message: 'XSS: JavaScript sink or dialog call',
    pattern:
      /\b(?:alert|prompt|confirm|eval|settimeout|setinterval|execscript|msgbox)\s*(?:\(|`)|\bdocument\s*\.\s*(?:cookie|write|domain|location)|\bwindow\s*\.\s*(?:location|open|name)|\.\s*(?:innerhtml|outerhtml)\s*=|\bstring\s*\.\s*fromcharcode\b|\b(?:top|self|parent)\s*\[\s*['"`]|\bdocument\s*\[\s*['"`]/,
  }),
  patternRule({
    id: 'xss.css-expression',
    family: 'xss',
    severity: 'critical',
    paranoia: 1,
    message: 'XSS: CSS expression or binding',
    pattern: /\bexpression\s*\(|-moz-binding\s*:|behavior\s*:\s*url|@import\b/,
  }),
  patternRule({
    id: 'xss.attribute-injection',
    family: 'xss',
    severity: 'critical',
    paranoia: 2,
    message: 'XSS: quote break into an attribute',
    pattern: /['"`]\s*(?:\/|\s)*(?:on[a-z]{3,}|style|formaction|src|href|autofocus)\s*=|['"]\s*>\s*</,
  }),
  patternRule({
    id: 'xss.angle-bracket-word',
    family: 'xss',
    severity: 'warning',
    paranoia: 2,
    message: 'XSS: markup-like input',
    pattern: /<[a-z][a-z0-9:-]*(?:\s[^>]*)?\/?>|<\/[a-z]+\s*>/,
  }),
];

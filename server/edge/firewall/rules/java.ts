import { patternRule } from '../rule.js';
import type { FieldRule } from '../types.js';

const GADGETS =
  '(?:clone|instantiate|invoker|chained|constant|map|comparator|transformer)transformer|(?:for|while|if|switch)closure|instantiatefactory|prototype(?:clone|serialization)factory|templatesimpl|annotationinvocationhandler|badattributevalueexpexception|jdbcrowsetimpl|xalan\\.xsltc|getruntime\\s*\\(|getmethod\\s*\\(|\\.exec\\s*\\(|\\.forname\\s*\\(';

/** Java injection: dangerous classes, deserialisation gadgets and serialized object markers. */
export const JAVA_RULES: readonly FieldRule[] = [
  patternRule({
    id: 'java.class',
    family: 'java',
    severity: 'critical',
    paranoia: 1,
    allHeaders: false,
    message: 'Java injection: reference to a dangerous Java class',
    pattern:
      /\bjava\.(?:lang\.(?:runtime|processbuilder|process|system|class|object|string\w*|integer|number|reflect|thread|classloader)|io\.\w+|net\.\w+|nio\.\w+|beans\.\w+|rmi\.\w+|util\.(?:zip|jar|scanner))|\bjavax\.(?:script|naming|management)\b|\borg\.(?:apache\.commons\.\w+|omg\.corba|springframework\.\w+|codehaus\.groovy)|\bcom\.(?:opensymphony\.xwork2|sun\.org\.apache|sun\.rowset|sun\.jndi)|\bsun\.misc\.\w+|\bjdk\.jshell\b/,
  }),
  patternRule({
    id: 'java.gadget',
    family: 'java',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Java injection: deserialisation gadget or Runtime/ProcessBuilder use',
    pattern: new RegExp(
      `\\b(?:runtime|processbuilder)\\b.*?(?:${GADGETS}|\\.start\\s*\\(|\\.exec\\b)|(?:${GADGETS})`,
    ),
  }),
  patternRule({
    id: 'java.expression-language',
    family: 'java',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    message: 'Java injection: OGNL/SpEL/EL expression',
    pattern:
      /%\{[^}]*(?:#|@|\()|#_memberaccess|@java\.|\bt\s*\(\s*java\.|\.getclass\s*\(\s*\)|#context\s*\[|#(?:request|response|session|application)\s*\.|\bclass\.module\.classloader|class\[['"]?module/,
  }),
  patternRule({
    id: 'java.serialized',
    family: 'java',
    severity: 'critical',
    paranoia: 1,
    highConfidence: true,
    on: 'raw',
    message: 'Java injection: serialized Java object',
    pattern: /\xac\xed\x00\x05|\brO0AB[A-Za-z0-9+/]|\baced0005/,
  }),
  patternRule({
    id: 'java.keywords',
    family: 'java',
    severity: 'critical',
    paranoia: 2,
    message: 'Java injection: Runtime, ProcessBuilder or reflection keywords',
    pattern:
      /\b(?:runtime|processbuilder|classloader|urlclassloader|scriptengine(?:manager)?|invoke|newinstance|getdeclared\w+|setaccessible)\b.{0,40}[.(]|\bjava\b.{0,40}\b(?:runtime|processbuilder)\b/,
  }),
];

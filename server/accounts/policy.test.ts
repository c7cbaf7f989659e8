import { describe, expect, it } from 'vitest';
import { can, defaultAccess, scopeAllows } from './policy.js';

describe('can', () => {
  it('gives each role its tier: viewers read, traders trade, admins administer, only owners change roles', () => {
    expect(['owner', 'admin', 'trader', 'viewer'].map((r) => can(r as 'owner', 'trade'))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(can('viewer', 'self')).toBe(true);
    expect(can('trader', 'admin')).toBe(false);
    expect(can('admin', 'owner')).toBe(false);
    expect(can('owner', 'owner')).toBe(true);
  });
});

describe('scopeAllows', () => {
  it('keeps a read token to reads and a trade token away from account security and administration', () => {
    expect(scopeAllows('read', 'write')).toBe(false);
    expect(scopeAllows('trade', 'trade')).toBe(true);
    expect(scopeAllows('trade', 'self')).toBe(false);
    expect(scopeAllows('trade', 'admin')).toBe(false);
    expect(scopeAllows('admin', 'owner')).toBe(true);
  });
});

describe('defaultAccess', () => {
  it('denies by default: unknown API reads need a caller, changes a writer, /admin an admin', () => {
    expect(defaultAccess('GET', '/api/v1/something-new')).toBe('read');
    expect(defaultAccess('POST', '/api/v1/something-new')).toBe('write');
    expect(defaultAccess('DELETE', '/api/v1/orders/:id')).toBe('trade');
    expect(defaultAccess('PUT', '/api/v1/admin/kill-switch')).toBe('admin');
    expect(defaultAccess('GET', '/api/v1/bars')).toBe('public');
    expect(defaultAccess('GET', '/index.html')).toBe('public');
  });
});

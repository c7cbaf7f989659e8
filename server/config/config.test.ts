import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('applies the documented defaults when the environment is empty', () => {
    const config = parseConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.market).toEqual({
      provider: 'sim',
      simStart: undefined,
      simSpeed: 1,
      simSeed: 'pulse',
      symbols: undefined,
      recordBars: 'auto',
      alpaca: undefined,
    });
  });

  it('parses numbers, URLs and times when they are valid', () => {
    const config = parseConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://127.0.0.1:5432/pulse',
      SIM_START: '2026-11-24T15:00:00Z',
      SIM_SPEED: '60',
    });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgres://127.0.0.1:5432/pulse');
    expect(config.market.simStart).toBe(Date.UTC(2026, 10, 24, 15));
    expect(config.market.simSpeed).toBe(60);
  });

  it('names the variable and what is allowed when PORT is not a number', () => {
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(/^Invalid PORT="abc": expected a number$/);
  });

  it('lists the allowed values when LOG_LEVEL is unknown', () => {
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(
      /Invalid LOG_LEVEL="loud": expected one of fatal, error/,
    );
  });

  it('rejects a DATABASE_URL of another scheme', () => {
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL.*postgres:\/\//);
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ PORT: '' }).port).toBe(3000);
  });

  it('requires Alpaca keys when MARKET_PROVIDER=alpaca, and validates the symbol list', () => {
    expect(() => parseConfig({ MARKET_PROVIDER: 'alpaca' })).toThrow(
      /^Missing ALPACA_KEY_ID: is required when MARKET_PROVIDER=alpaca$/,
    );
    const config = parseConfig({
      MARKET_PROVIDER: 'alpaca',
      ALPACA_KEY_ID: 'k',
      ALPACA_SECRET_KEY: 's',
      MARKET_SYMBOLS: 'AAPL,MSFT',
    });
    expect(config.market.alpaca).toEqual({
      keyId: 'k',
      secretKey: 's',
      feed: 'iex',
      dataUrl: 'https://data.alpaca.markets',
      streamUrl: 'wss://stream.data.alpaca.markets',
    });
    expect(config.market.symbols).toEqual(['AAPL', 'MSFT']);
    expect(() => parseConfig({ MARKET_SYMBOLS: 'aapl;msft' })).toThrow(/Invalid MARKET_SYMBOLS/);
  });
});

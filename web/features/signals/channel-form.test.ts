import { describe, expect, it } from 'vitest';
import { base64UrlToBytes, channelBody, channelFields, emptyChannelDraft } from './channel-form.js';

const draft = emptyChannelDraft();

describe('channelBody', () => {
  it('sends an in-app channel with or without a name', () => {
    expect(channelBody(draft)).toEqual({ ok: true, body: { type: 'in_app' } });
    expect(channelBody({ ...draft, name: ' Desk ' })).toEqual({
      ok: true,
      body: { type: 'in_app', name: 'Desk' },
    });
  });

  it('sends only the fields of the chosen type', () => {
    expect(
      channelBody({ ...draft, type: 'webhook', url: ' https://hooks.example.test/x ', to: 'ignored' }),
    ).toEqual({
      ok: true,
      body: { type: 'webhook', url: 'https://hooks.example.test/x' },
    });
    expect(channelBody({ ...draft, type: 'email' })).toEqual({ ok: true, body: { type: 'email' } });
    expect(channelBody({ ...draft, type: 'email', to: 'me@example.test' })).toEqual({
      ok: true,
      body: { type: 'email', to: 'me@example.test' },
    });
  });

  it('names the wrong or missing fields', () => {
    expect(channelBody({ ...draft, type: 'slack', url: 'ftp://x' })).toEqual({
      ok: false,
      errors: { url: 'an http(s) URL' },
    });
    expect(channelBody({ ...draft, type: 'email', to: 'nope' })).toEqual({
      ok: false,
      errors: { to: 'an e-mail address' },
    });
    const sms = channelBody({
      ...draft,
      type: 'sms',
      url: 'https://sms.example.test',
      from: '555',
      to: '+14155550100',
    });
    expect(sms).toEqual({
      ok: false,
      errors: {
        username: 'required',
        password: 'required',
        from: 'an E.164 phone number such as +14155550100',
      },
    });
  });

  it('asks each type for its own fields', () => {
    expect(channelFields('in_app')).toEqual(['name']);
    expect(channelFields('sms')).toEqual(['name', 'url', 'username', 'password', 'from', 'to']);
  });
});

describe('base64UrlToBytes', () => {
  it('decodes URL-safe base64 without padding, as VAPID keys come', () => {
    expect([...base64UrlToBytes('-_8')]).toEqual([0xfb, 0xff]);
    expect([...base64UrlToBytes('AQID')]).toEqual([1, 2, 3]);
    expect(
      base64UrlToBytes(
        'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U',
      ).length,
    ).toBe(65);
  });
});

import {
  CreateChannelBody,
  type ChannelType,
  type CreateChannelBody as CreateChannelBodyType,
} from '../../../contracts/notify.js';

/** Channel types as the settings name them; web push is added with the Subscribe button instead. */
export const CHANNEL_TYPES: readonly { value: Exclude<ChannelType, 'web_push'>; label: string }[] = [
  { value: 'in_app', label: 'In-app' },
  { value: 'email', label: 'E-mail' },
  { value: 'slack', label: 'Slack' },
  { value: 'webhook', label: 'Webhook' },
  { value: 'sms', label: 'SMS' },
];

/** How a channel type reads. */
export function channelTypeLabel(type: ChannelType): string {
  return type === 'web_push' ? 'Web push' : (CHANNEL_TYPES.find((t) => t.value === type)?.label ?? type);
}

/** The add-channel form's fields (each type reads the ones it needs). */
export interface ChannelDraft {
  type: Exclude<ChannelType, 'web_push'>;
  name: string;
  to: string;
  url: string;
  username: string;
  password: string;
  from: string;
}

/** Fields the add-channel form can flag. */
export type ChannelField = 'name' | 'to' | 'url' | 'username' | 'password' | 'from';

/** An empty form. */
export function emptyChannelDraft(): ChannelDraft {
  return { type: 'in_app', name: '', to: '', url: '', username: '', password: '', from: '' };
}

/** The fields a type asks for, in form order. */
export function channelFields(type: ChannelDraft['type']): ChannelField[] {
  switch (type) {
    case 'in_app':
      return ['name'];
    case 'email':
      return ['name', 'to'];
    case 'slack':
    case 'webhook':
      return ['name', 'url'];
    case 'sms':
      return ['name', 'url', 'username', 'password', 'from', 'to'];
  }
}

/** The POST /api/v1/notify/channels body for the form, checked with the API's schema; or a message per field. */
export function channelBody(
  d: ChannelDraft,
): { ok: true; body: CreateChannelBodyType } | { ok: false; errors: Partial<Record<ChannelField, string>> } {
  const fields = channelFields(d.type);
  const raw: Record<string, string> = { type: d.type };
  for (const f of fields) {
    const v = f === 'password' ? d[f] : d[f].trim();
    // E-mail `to` and every name are optional: blank means the default.
    if (v === '' && (f === 'name' || (f === 'to' && d.type === 'email'))) continue;
    raw[f] = v;
  }
  const parsed = CreateChannelBody.safeParse(raw);
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors: Partial<Record<ChannelField, string>> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]) as ChannelField;
    if (fields.includes(key))
      errors[key] ??=
        raw[key] === undefined || raw[key] === ''
          ? 'required'
          : key === 'url'
            ? 'an http(s) URL'
            : key === 'to' && d.type === 'email'
              ? 'an e-mail address'
              : issue.message;
  }
  return { ok: false, errors };
}

/** A VAPID public key (URL-safe base64) as the bytes PushManager.subscribe takes. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

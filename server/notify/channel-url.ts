import { AppError } from '../errors.js';

/** Which URLs channels may point at: https only by default, Slack only at hooks.slack.com. */
export interface UrlPolicy {
  /** Plain http too (NOTIFY_ALLOW_HTTP): for a receiver on a private network, and for tests. */
  allowHttp: boolean;
  /** Any https URL for Slack channels (NOTIFY_SLACK_ANY_URL): Slack-compatible servers such as Mattermost. */
  slackAnyUrl: boolean;
}

/** The default policy. */
export const STRICT_URLS: UrlPolicy = { allowHttp: false, slackAnyUrl: false };

/** Returns the URL if `kind` may send to it under `policy`; throws NOTIFY_URL_NOT_ALLOWED otherwise. */
export function checkChannelUrl(
  raw: string,
  kind: 'slack' | 'webhook' | 'sms' | 'web_push',
  policy: UrlPolicy,
): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('NOTIFY_URL_NOT_ALLOWED', 'Not a URL.');
  }
  const schemeOk = url.protocol === 'https:' || (policy.allowHttp && url.protocol === 'http:');
  if (!schemeOk) throw new AppError('NOTIFY_URL_NOT_ALLOWED', 'The URL must start with https://.');
  if (url.username !== '' || url.password !== '')
    throw new AppError('NOTIFY_URL_NOT_ALLOWED', 'Put credentials in their own fields, not in the URL.');
  if (kind === 'slack' && !policy.slackAnyUrl) {
    if (
      url.protocol !== 'https:' ||
      url.hostname !== 'hooks.slack.com' ||
      !url.pathname.startsWith('/services/')
    )
      throw new AppError(
        'NOTIFY_URL_NOT_ALLOWED',
        'A Slack channel needs an incoming-webhook URL: https://hooks.slack.com/services/…',
      );
  }
  return url.href;
}

/** A channel URL shortened for display: enough to recognise, not enough to reuse a secret path. */
export function displayUrl(raw: string): string {
  const url = new URL(raw);
  const tail = url.pathname.length > 1 ? `/…${url.pathname.slice(-4)}` : '';
  return `${url.host}${tail}`;
}

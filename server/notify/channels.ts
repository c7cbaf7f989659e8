import crypto from 'node:crypto';
import type { CreateChannelBody, UpdateChannelBody } from '../../contracts/notify.js';
import { AppError } from '../errors.js';
import { checkChannelUrl, displayUrl, type UrlPolicy } from './channel-url.js';
import type { Notifier } from './notifier.js';
import type { ChannelConfig, ChannelRecord, DeliveryRecord, NotifyStore } from './notify-store.js';

/** At most this many channels per user. */
export const MAX_CHANNELS = 20;

/** What the channel commands need. */
export interface ChannelDeps {
  store: NotifyStore;
  notifier: Notifier;
  urlPolicy: UrlPolicy;
  now: () => Date;
}

const DEFAULT_NAMES: Readonly<Record<ChannelConfig['type'], string>> = {
  in_app: 'In-app',
  email: 'E-mail',
  slack: 'Slack',
  webhook: 'Webhook',
  sms: 'SMS',
  web_push: 'Browser push',
};

const notFound = () =>
  new AppError('NOTIFY_CHANNEL_NOT_FOUND', 'No notification channel of yours has this id.');

/** Where a channel points, for display; never a credential. */
export function channelTarget(config: ChannelConfig): string {
  switch (config.type) {
    case 'in_app':
      return 'Pulse inbox';
    case 'email':
    case 'sms':
      return config.to;
    case 'slack':
    case 'webhook':
      return displayUrl(config.url);
    case 'web_push':
      return new URL(config.subscription.endpoint).host;
  }
}

function configFor(
  input: CreateChannelBody,
  accountEmail: string,
  policy: UrlPolicy,
): { config: ChannelConfig; secret?: string } {
  switch (input.type) {
    case 'in_app':
      return { config: { type: 'in_app' } };
    case 'email':
      return { config: { type: 'email', to: input.to ?? accountEmail } };
    case 'slack':
      return { config: { type: 'slack', url: checkChannelUrl(input.url, 'slack', policy) } };
    case 'webhook': {
      const secret = `whsec_${crypto.randomBytes(32).toString('base64url')}`;
      return {
        config: { type: 'webhook', url: checkChannelUrl(input.url, 'webhook', policy), secret },
        secret,
      };
    }
    case 'sms':
      return {
        config: {
          type: 'sms',
          url: checkChannelUrl(input.url, 'sms', policy),
          username: input.username,
          password: input.password,
          from: input.from,
          to: input.to,
        },
      };
    case 'web_push':
      checkChannelUrl(input.subscription.endpoint, 'web_push', policy);
      return {
        config: {
          type: 'web_push',
          subscription: { endpoint: input.subscription.endpoint, keys: input.subscription.keys },
        },
      };
  }
}

/** The user's channels, oldest first; an in-app channel is made on first use, so the inbox always fills. */
export async function listChannels(userId: string, deps: ChannelDeps): Promise<ChannelRecord[]> {
  const channels = await deps.store.listChannels(userId);
  if (channels.some((c) => c.config.type === 'in_app')) return channels;
  await deps.store.insertChannel({
    id: crypto.randomUUID(),
    userId,
    name: DEFAULT_NAMES.in_app,
    enabled: true,
    config: { type: 'in_app' },
    createdAt: deps.now(),
  });
  return deps.store.listChannels(userId);
}

/** Adds a channel; a webhook's signing secret is returned here and never again. */
export async function createChannel(
  input: CreateChannelBody & { userId: string; accountEmail: string },
  deps: ChannelDeps,
): Promise<{ channel: ChannelRecord; secret?: string }> {
  if (!deps.notifier.canSend(input.type))
    throw new AppError(
      'NOTIFY_CHANNEL_UNAVAILABLE',
      `This server is not set up to send ${DEFAULT_NAMES[input.type]} notifications.`,
    );
  const existing = await deps.store.listChannels(input.userId);
  if (existing.length >= MAX_CHANNELS)
    throw new AppError('NOTIFY_CHANNEL_LIMIT_REACHED', `You may keep at most ${MAX_CHANNELS} channels.`);
  if (input.type === 'in_app' && existing.some((c) => c.config.type === 'in_app'))
    throw new AppError('NOTIFY_CHANNEL_LIMIT_REACHED', 'You already have an in-app channel.');
  const { config, secret } = configFor(input, input.accountEmail, deps.urlPolicy);
  const channel: ChannelRecord = {
    id: crypto.randomUUID(),
    userId: input.userId,
    name: input.name ?? DEFAULT_NAMES[input.type],
    enabled: true,
    config,
    createdAt: deps.now(),
  };
  await deps.store.insertChannel(channel);
  return secret === undefined ? { channel } : { channel, secret };
}

/** Renames, enables or disables a channel. */
export async function updateChannel(
  input: UpdateChannelBody & { userId: string; id: string },
  deps: ChannelDeps,
): Promise<ChannelRecord> {
  const { userId, id, ...patch } = input;
  if (!(await deps.store.updateChannel(userId, id, patch))) throw notFound();
  const updated = await deps.store.getChannel(userId, id);
  if (!updated) throw notFound();
  return updated;
}

/** Deletes a channel; its deliveries stay in the log, and queued ones fail as "deleted". */
export async function deleteChannel(input: { userId: string; id: string }, deps: ChannelDeps): Promise<void> {
  if (!(await deps.store.deleteChannel(input.userId, input.id))) throw notFound();
}

/** Sends a test notification on one of the user's channels and returns the delivery after its first attempt. */
export async function testChannel(
  input: { userId: string; id: string },
  deps: ChannelDeps,
): Promise<DeliveryRecord> {
  const channel = await deps.store.getChannel(input.userId, input.id);
  if (!channel) throw notFound();
  return deps.notifier.sendTest(channel);
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Channel,
  CreateChannelBody,
  CreatedChannel,
  DeliveriesQuery,
  Delivery,
  Inbox,
  InboxQuery,
  MarkReadBody,
  QuietHours,
  UpdateChannelBody,
  VapidPublicKey,
} from '../../../contracts/notify.js';
import { AppError } from '../../errors.js';
import {
  type ChannelDeps,
  createChannel,
  deleteChannel,
  listChannels,
  testChannel,
  updateChannel,
} from '../../notify/channels.js';
import { isValidTimeZone } from '../../notify/quiet-hours.js';
import { requireCaller } from '../auth/session.plugin.js';
import { presentChannel, presentDelivery, presentInboxItem } from './notify.presenter.js';

/** What the notification routes need. */
export interface NotifyRoutesDeps extends ChannelDeps {
  /** The VAPID public key browsers subscribe with; web push is off without it. */
  vapidPublicKey?: string | undefined;
}

const Id = z.object({ id: z.uuid() });
const DEFAULT_QUIET_HOURS: QuietHours = { enabled: false, timeZone: 'UTC', start: '22:00', end: '07:00' };

/** The signed-in user's notification channels, delivery log, in-app inbox and quiet hours. */
export const notifyRoutes: FastifyPluginAsyncZod<NotifyRoutesDeps> = async (app, deps) => {
  const tags = ['notifications'];
  const base = '/api/v1/notify';

  app.get(
    `${base}/channels`,
    { schema: { tags, summary: 'Your notification channels', response: { 200: z.array(Channel) } } },
    async (request) => {
      const { user } = await requireCaller(request);
      return (await listChannels(user.id, deps)).map(presentChannel);
    },
  );

  app.post(
    `${base}/channels`,
    {
      schema: {
        tags,
        summary: 'Add a channel; a webhook’s signing secret is in this answer only',
        body: CreateChannelBody,
        response: { 201: CreatedChannel },
      },
    },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      const { channel, secret } = await createChannel(
        { ...request.body, userId: user.id, accountEmail: user.email },
        deps,
      );
      return reply.code(201).send({ ...presentChannel(channel), ...(secret !== undefined && { secret }) });
    },
  );

  app.patch(
    `${base}/channels/:id`,
    {
      schema: {
        tags,
        summary: 'Rename, enable or disable a channel',
        params: Id,
        body: UpdateChannelBody,
        response: { 200: Channel },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return presentChannel(
        await updateChannel({ ...request.body, userId: user.id, id: request.params.id }, deps),
      );
    },
  );

  app.delete(
    `${base}/channels/:id`,
    { schema: { tags, summary: 'Delete a channel', params: Id, response: { 204: z.null() } } },
    async (request, reply) => {
      const { user } = await requireCaller(request);
      await deleteChannel({ userId: user.id, id: request.params.id }, deps);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${base}/channels/:id/test`,
    {
      schema: {
        tags,
        summary: 'Send a test notification; answers after the first attempt (or ~12 s)',
        params: Id,
        response: { 200: Delivery },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      return presentDelivery(await testChannel({ userId: user.id, id: request.params.id }, deps));
    },
  );

  app.get(
    `${base}/deliveries`,
    {
      schema: {
        tags,
        summary: 'The delivery log, newest first',
        querystring: DeliveriesQuery,
        response: { 200: z.array(Delivery) },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      const { limit, before, channelId, status } = request.query;
      const rows = await deps.store.listDeliveries(user.id, {
        limit,
        ...(before !== undefined && { before: new Date(before) }),
        ...(channelId !== undefined && { channelId }),
        ...(status !== undefined && { status }),
      });
      return rows.map(presentDelivery);
    },
  );

  app.get(
    `${base}/inbox`,
    {
      schema: {
        tags,
        summary: 'In-app notifications, newest first',
        querystring: InboxQuery,
        response: { 200: Inbox },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      const [items, unread] = await Promise.all([
        deps.store.listInbox(user.id, {
          limit: request.query.limit,
          unreadOnly: request.query.unread ?? false,
        }),
        deps.store.unreadCount(user.id),
      ]);
      return { items: items.map(presentInboxItem), unread };
    },
  );

  app.post(
    `${base}/inbox/read`,
    {
      schema: {
        tags,
        summary: 'Mark in-app notifications read',
        body: MarkReadBody,
        response: { 200: z.object({ unread: z.number().int() }) },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      const body = request.body;
      await deps.store.markRead(user.id, 'ids' in body ? body.ids : 'all', deps.now());
      return { unread: await deps.store.unreadCount(user.id) };
    },
  );

  app.get(
    `${base}/quiet-hours`,
    { schema: { tags, summary: 'Your quiet hours', response: { 200: QuietHours } } },
    async (request) => {
      const { user } = await requireCaller(request);
      return (await deps.store.getQuietHours(user.id)) ?? DEFAULT_QUIET_HOURS;
    },
  );

  app.put(
    `${base}/quiet-hours`,
    {
      schema: {
        tags,
        summary: 'Set quiet hours: non-urgent notifications wait until they end',
        body: QuietHours,
        response: { 200: QuietHours },
      },
    },
    async (request) => {
      const { user } = await requireCaller(request);
      if (!isValidTimeZone(request.body.timeZone))
        throw new AppError('NOTIFY_INVALID_TIME_ZONE', `Unknown time zone ${request.body.timeZone}.`);
      await deps.store.setQuietHours(user.id, request.body);
      return request.body;
    },
  );

  app.get(
    `${base}/vapid-public-key`,
    { schema: { tags, summary: 'The key for PushManager.subscribe', response: { 200: VapidPublicKey } } },
    async (request) => {
      await requireCaller(request);
      if (deps.vapidPublicKey === undefined)
        throw new AppError('NOTIFY_CHANNEL_UNAVAILABLE', 'Web push is not set up on this server.');
      return { publicKey: deps.vapidPublicKey };
    },
  );
};

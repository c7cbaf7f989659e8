import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  Channel,
  type Channel as ChannelType,
  CreatedChannel,
  Delivery,
  QuietHours,
  VapidPublicKey,
  type CreateChannelBody,
  type DeliveryStatus,
  type QuietHours as QuietHoursType,
  type UpdateChannelBody,
} from '../../../contracts/notify.js';
import {
  Backtest,
  Signal,
  type Signal as SignalType,
  SignalFiring,
  type CreateBacktestBody,
  type CreateSignalBody,
  type UpdateSignalBody,
} from '../../../contracts/signals.js';
import { useApi } from '../../api/api-context.js';

const SignalList = z.array(Signal);
const FiringList = z.array(SignalFiring);
const ChannelList = z.array(Channel);
const DeliveryList = z.array(Delivery);
const BacktestList = z.array(Backtest);

/** Query keys: 'signals' for rules and firings, 'notify' for channels and deliveries, 'backtests'. */
export const signalKeys = {
  signals: ['signals', 'list'] as const,
  firings: (id: string, limit: number) => ['signals', 'firings', id, limit] as const,
  channels: ['notify', 'channels'] as const,
  deliveries: (filter: { channelId?: string; status?: DeliveryStatus }) =>
    ['notify', 'deliveries', filter.channelId ?? '', filter.status ?? ''] as const,
  quietHours: ['notify', 'quiet-hours'] as const,
  backtests: ['backtests', 'list'] as const,
  backtest: (id: string) => ['backtests', 'one', id] as const,
};

const path = (id: string) => encodeURIComponent(id);

/** The user's signals. */
export function useSignalList() {
  const api = useApi();
  return useQuery({
    queryKey: signalKeys.signals,
    queryFn: () => api.call('GET', '/api/v1/signals', SignalList),
  });
}

/** A signal's firings, newest first. */
export function useFirings(id: string | null, limit = 100) {
  const api = useApi();
  return useQuery({
    queryKey: signalKeys.firings(id ?? '', limit),
    enabled: id !== null,
    queryFn: () => api.call('GET', `/api/v1/signals/${path(id ?? '')}/firings?limit=${limit}`, FiringList),
  });
}

/** The latest firing of each signal (for "last fired" in the list), by signal id. */
export function useLastFired(ids: readonly string[]): Map<string, string | null> {
  const api = useApi();
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: signalKeys.firings(id, 1),
      queryFn: () => api.call('GET', `/api/v1/signals/${path(id)}/firings?limit=1`, FiringList),
    })),
  });
  const out = new Map<string, string | null>();
  ids.forEach((id, i) => {
    const data = results[i]?.data;
    if (data !== undefined) out.set(id, data[0]?.firedAt ?? null);
  });
  return out;
}

/** Create, edit, enable/disable and delete signals; each refreshes the list. */
export function useSignalActions() {
  const api = useApi();
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: ['signals'] });
  return {
    create: useMutation({
      mutationFn: (body: CreateSignalBody) => api.call('POST', '/api/v1/signals', Signal, body),
      onSettled,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: UpdateSignalBody }) =>
        api.call('PATCH', `/api/v1/signals/${path(id)}`, Signal, body),
      // The Enabled switch moves at once; the list is refetched when the server has answered.
      onMutate: ({ id, body }: { id: string; body: UpdateSignalBody }) => {
        const { enabled } = body;
        if (enabled === undefined) return;
        client.setQueryData<SignalType[]>(signalKeys.signals, (list) =>
          list?.map((s) => (s.id === id ? { ...s, enabled } : s)),
        );
      },
      onSettled,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.call('DELETE', `/api/v1/signals/${path(id)}`, null),
      onSettled,
    }),
  };
}

/** The user's notification channels. */
export function useChannels() {
  const api = useApi();
  return useQuery({
    queryKey: signalKeys.channels,
    queryFn: () => api.call('GET', '/api/v1/notify/channels', ChannelList),
  });
}

/** The delivery log, newest first, optionally for one channel or status. */
export function useDeliveries(filter: { channelId?: string; status?: DeliveryStatus } = {}, limit = 100) {
  const api = useApi();
  const params = new URLSearchParams({ limit: String(limit) });
  if (filter.channelId !== undefined) params.set('channelId', filter.channelId);
  if (filter.status !== undefined) params.set('status', filter.status);
  return useQuery({
    queryKey: signalKeys.deliveries(filter),
    queryFn: () => api.call('GET', `/api/v1/notify/deliveries?${params}`, DeliveryList),
  });
}

/** Channel writes, test-send and quiet hours; each refreshes the notification data. */
export function useChannelActions() {
  const api = useApi();
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: ['notify'] });
  return {
    create: useMutation({
      mutationFn: (body: CreateChannelBody) =>
        api.call('POST', '/api/v1/notify/channels', CreatedChannel, body),
      onSettled,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: UpdateChannelBody }) =>
        api.call('PATCH', `/api/v1/notify/channels/${path(id)}`, Channel, body),
      onMutate: ({ id, body }: { id: string; body: UpdateChannelBody }) => {
        client.setQueryData<ChannelType[]>(signalKeys.channels, (list) =>
          list?.map((c) =>
            c.id === id
              ? {
                  ...c,
                  ...(body.enabled !== undefined && { enabled: body.enabled }),
                  ...(body.name !== undefined && { name: body.name }),
                }
              : c,
          ),
        );
      },
      onSettled,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.call('DELETE', `/api/v1/notify/channels/${path(id)}`, null),
      onSettled,
    }),
    test: useMutation({
      mutationFn: (id: string) => api.call('POST', `/api/v1/notify/channels/${path(id)}/test`, Delivery),
      onSettled,
    }),
    setQuietHours: useMutation({
      mutationFn: (body: QuietHoursType) => api.call('PUT', '/api/v1/notify/quiet-hours', QuietHours, body),
      onSettled,
    }),
  };
}

/** The user's quiet hours. */
export function useQuietHours() {
  const api = useApi();
  return useQuery({
    queryKey: signalKeys.quietHours,
    queryFn: () => api.call('GET', '/api/v1/notify/quiet-hours', QuietHours),
  });
}

/** Fetches the server's VAPID public key (an error when web push is not set up). */
export function useVapidKey() {
  const api = useApi();
  return () => api.call('GET', '/api/v1/notify/vapid-public-key', VapidPublicKey);
}

const active = (status: Backtest['status']) => status === 'queued' || status === 'running';

/** Past backtests, newest first; polls while one is still running. */
export function useBacktests() {
  const api = useApi();
  return useQuery({
    queryKey: signalKeys.backtests,
    queryFn: () => api.call('GET', '/api/v1/backtests', BacktestList),
    refetchInterval: (query) => (query.state.data?.some((b) => active(b.status)) ? 2_000 : false),
  });
}

/** One backtest, polled every 500 ms while queued or running. */
export function useBacktest(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: signalKeys.backtest(id ?? ''),
    enabled: id !== null,
    queryFn: () => api.call('GET', `/api/v1/backtests/${path(id ?? '')}`, Backtest),
    refetchInterval: (query) =>
      query.state.data !== undefined && active(query.state.data.status) ? 500 : false,
  });
}

/** Start and cancel backtests. */
export function useBacktestActions() {
  const api = useApi();
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: ['backtests'] });
  return {
    start: useMutation({
      mutationFn: (body: CreateBacktestBody) => api.call('POST', '/api/v1/backtests', Backtest, body),
      onSettled,
    }),
    cancel: useMutation({
      mutationFn: (id: string) => api.call('DELETE', `/api/v1/backtests/${path(id)}`, Backtest),
      onSettled,
    }),
  };
}

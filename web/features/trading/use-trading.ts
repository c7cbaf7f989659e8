import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { z } from 'zod';
import {
  AccountJson,
  FillActivityJson,
  OrderJson,
  PositionJson,
  type NewOrderBody,
  type ReplaceOrderBody,
} from '../../../contracts/trading.js';
import { useApi } from '../../api/api-context.js';
import { useStream } from '../../api/stream-context.js';

const OrderList = OrderJson.array();
const PositionList = PositionJson.array();
const FillList = FillActivityJson.array();

/** An order as the API returns it. */
export type Order = z.infer<typeof OrderJson>;
/** A position as the API returns it. */
export type Position = z.infer<typeof PositionJson>;
/** A fill as the API returns it. */
export type Fill = z.infer<typeof FillActivityJson>;
/** The account as the API returns it. */
export type Account = z.infer<typeof AccountJson>;

/** Query keys of the trading data; every key starts with 'trading' so one invalidation refreshes all. */
export const tradingKeys = {
  all: ['trading'] as const,
  account: ['trading', 'account'] as const,
  orders: (status: 'open' | 'closed' | 'all') => ['trading', 'orders', status] as const,
  positions: ['trading', 'positions'] as const,
  fills: ['trading', 'fills'] as const,
};

/** The signed-in user's account (cash, buying power, equity…). */
export function useAccount() {
  const api = useApi();
  return useQuery({
    queryKey: tradingKeys.account,
    queryFn: () => api.call('GET', '/api/v1/account', AccountJson),
  });
}

/** Open, closed or all orders, newest first. */
export function useOrders(status: 'open' | 'closed' | 'all') {
  const api = useApi();
  return useQuery({
    queryKey: tradingKeys.orders(status),
    queryFn: () => api.call('GET', `/api/v1/orders?status=${status}&limit=200`, OrderList),
  });
}

/** Open positions. */
export function usePositions() {
  const api = useApi();
  return useQuery({
    queryKey: tradingKeys.positions,
    queryFn: () => api.call('GET', '/api/v1/positions', PositionList),
  });
}

/** Fills, newest first. */
export function useFills() {
  const api = useApi();
  return useQuery({
    queryKey: tradingKeys.fills,
    queryFn: () => api.call('GET', '/api/v1/activities?page_size=100', FillList),
  });
}

const refresh = (client: QueryClient) => client.invalidateQueries({ queryKey: tradingKeys.all });

/** The trading writes; each refreshes the trading data when it settles. */
export function useTradingActions() {
  const api = useApi();
  const client = useQueryClient();
  const onSettled = () => refresh(client);
  return {
    place: useMutation({
      mutationFn: (body: NewOrderBody) => api.call('POST', '/api/v1/orders', OrderJson, body),
      onSettled,
    }),
    cancel: useMutation({
      mutationFn: (id: string) => api.call('DELETE', `/api/v1/orders/${encodeURIComponent(id)}`, null),
      onSettled,
    }),
    replace: useMutation({
      mutationFn: ({ id, body }: { id: string; body: ReplaceOrderBody }) =>
        api.call('PATCH', `/api/v1/orders/${encodeURIComponent(id)}`, OrderJson, body),
      onSettled,
    }),
    close: useMutation({
      mutationFn: ({ symbol, qty }: { symbol: string; qty?: string }) => {
        const query = qty === undefined ? '' : `?${new URLSearchParams({ qty })}`;
        return api.call('DELETE', `/api/v1/positions/${encodeURIComponent(symbol)}${query}`, OrderJson);
      },
      onSettled,
    }),
  };
}

const TradeUpdate = z.object({ T: z.literal('trade_update'), event: z.string(), order: OrderJson });

/** Puts `order` in the cached order lists it belongs to (by status), replacing its older copy. */
export function patchOrders(
  lists: { status: 'open' | 'closed' | 'all'; orders: readonly Order[] },
  order: Order,
) {
  const open = !['filled', 'canceled', 'expired', 'rejected', 'replaced', 'done_for_day'].includes(
    order.status,
  );
  const belongs = lists.status === 'all' || (lists.status === 'open') === open;
  const rest = lists.orders.filter((o) => o.id !== order.id);
  return belongs ? [order, ...rest] : rest;
}

/**
 * Keeps the trading data live: every trade update the server pushes to this user's socket patches the
 * cached order lists at once, then refetches positions, account and fills (which a fill changes).
 */
export function useTradeUpdates(): void {
  const stream = useStream();
  const client = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const offMessage = stream.onMessage((message) => {
      const update = TradeUpdate.safeParse(message);
      if (!update.success) return;
      const order = update.data.order;
      for (const status of ['open', 'closed', 'all'] as const) {
        client.setQueryData<Order[]>(tradingKeys.orders(status), (orders) =>
          orders === undefined ? orders : patchOrders({ status, orders }, order),
        );
      }
      // A burst of partial fills refetches once.
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(client), 200);
    });
    const offResume = stream.onResume(() => void refresh(client));
    // Trade updates need no channel, but the socket opens only while something is subscribed.
    const unsubscribe = stream.subscribe({});
    return () => {
      clearTimeout(timer);
      unsubscribe();
      offResume();
      offMessage();
    };
  }, [stream, client]);
}

import type { ChannelType, Urgency } from '../../contracts/notify.js';
import type { ConfigOf } from './notify-store.js';

/** A notification ready to leave Pulse. */
export interface OutgoingNotification {
  deliveryId: string;
  title: string;
  body: string;
  /** Absolute (PUBLIC_URL applied), or omitted when there is no public address to link to. */
  url?: string | undefined;
  urgency: Urgency;
  createdAt: Date;
}

/** Sends on one channel type. Throws DeliveryError (or anything: treated as transient); must honour `signal`. */
export interface ChannelSender<T extends ChannelType> {
  send(config: ConfigOf<T>, notification: OutgoingNotification, signal: AbortSignal): Promise<void>;
}

/** The external channel types (in-app is written by the engine itself). */
export type ExternalChannelType = Exclude<ChannelType, 'in_app'>;

/** A sender per external channel type; a missing one means the server cannot send on that type. */
export type ChannelSenders = { [T in ExternalChannelType]?: ChannelSender<T> };

export { type ChannelSender, type ChannelSenders, type OutgoingNotification } from './channel-sender.js';
export { STRICT_URLS, type UrlPolicy } from './channel-url.js';
export { DeliveryError, httpStatusError } from './delivery-error.js';
export { type NotificationRequest, type NotificationSink, notificationSink } from './notification-sink.js';
export { Notifier, type NotifierOptions, type NotifyResult } from './notifier.js';
export type * from './notify-store.js';

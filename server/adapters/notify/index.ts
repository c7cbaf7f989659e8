export { SmtpEmailSender, type SmtpOptions } from './email-sender.js';
export { SlackSender } from './slack-sender.js';
export { SmsWebhookSender } from './sms-sender.js';
export { loadOrCreateVapidKeys } from './vapid-store.js';
export { type VapidKeys, WebPushSender } from './web-push-sender.js';
export { WebhookSender, webhookSignature } from './webhook-sender.js';

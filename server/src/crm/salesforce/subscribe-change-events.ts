import { StreamingExtension } from "jsforce/lib/api/streaming.js";
import type { SalesforceTransport } from "./create-salesforce-transport.js";

/** All governed objects' changes on one channel: one faye client, one replay position. */
export const CHANGE_EVENTS_CHANNEL = "/data/ChangeEvents";

export interface SubscribeChangeEventsOptions {
  /** `/data/ChangeEvents` or `/data/<Object>ChangeEvent`. @defaultValue CHANGE_EVENTS_CHANNEL */
  channel?: string | undefined;
  /**
   * The replay id to resume after, asked at every (re)subscribe — the last event *processed*,
   * not the last received, so a reconnect never skips an event still in flight. `-2`: every
   * retained event; `-1`: new ones only.
   */
  replayFrom(): number;
  /** Each event's `data`, in the order received. */
  onEvent(data: unknown): void;
  /** The session was refused (`advice.reconnect: "none"`): this client is dead; build a new one. */
  onAuthFailure(reason: string): void;
  /**
   * A request to the streaming endpoint failed or timed out. faye retries it on the same client,
   * but the answer it gave up on may have carried events, which that client never sees again:
   * resubscribe (a new client) from the last processed position.
   */
  onTransportDown?(): void;
  /** Subscribing failed; `replayInvalid` when the replay id is outside the retention window. */
  onSubscribeError(error: { replayInvalid: boolean; message: string }): void;
  onSubscribed?(): void;
}

export interface ChangeEventSubscription {
  cancel(): void;
}

interface FayeMessage {
  channel: string;
  subscription?: string;
  error?: string;
  ext?: Record<string, unknown> & { sfdc?: { failureReason?: string } };
}
interface FayeSubscription {
  callback(fn: () => void): void;
  errback(fn: (error: { message?: string }) => void): void;
  cancel(): void;
}
interface FayeClient {
  subscribe(channel: string, listener: (data: unknown) => void): FayeSubscription;
  on(event: "transport:down", listener: () => void): void;
  disconnect(): void;
}

/**
 * Subscribes to Change Data Capture through jsforce's streaming client (CometD long-polling)
 * with two extensions: jsforce's `AuthFailure`, and a durable replay extension that asks
 * `replayFrom()` on every `/meta/subscribe` (jsforce's own `Replay` resumes after the last event
 * *received*, which a crash mid-batch would skip past).
 * @see docs/salesforce.md (ingestion)
 */
export async function subscribeChangeEvents(
  transport: SalesforceTransport,
  options: SubscribeChangeEventsOptions,
): Promise<ChangeEventSubscription> {
  const channel = options.channel ?? CHANGE_EVENTS_CHANNEL;
  const conn = await transport.connection();
  const durableReplay = {
    outgoing(message: FayeMessage, callback: (m: FayeMessage) => void) {
      if (message.channel === "/meta/subscribe" && message.subscription === channel)
        message.ext = { ...message.ext, replay: { [channel]: options.replayFrom() } };
      callback(message);
    },
  };
  let dead = false;
  const authFailure = new StreamingExtension.AuthFailure((message: FayeMessage) => {
    if (dead) return;
    dead = true;
    options.onAuthFailure(message?.ext?.sfdc?.failureReason ?? message?.error ?? "authentication failed");
  });
  const client = conn.streaming.createClient([authFailure, durableReplay]) as unknown as FayeClient;
  client.on("transport:down", () => {
    if (!dead) options.onTransportDown?.();
  });
  const subscription = client.subscribe(channel, (data) => options.onEvent(data));
  subscription.callback(() => options.onSubscribed?.());
  // Salesforce's subscribe errors arrive with the raw `400::…` text as the message.
  subscription.errback((error) => {
    const message = String(error?.message ?? error);
    options.onSubscribeError({ replayInvalid: /replayId/i.test(message), message });
  });
  return {
    cancel() {
      dead = true;
      subscription.cancel();
      client.disconnect();
    },
  };
}

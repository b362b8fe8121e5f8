import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import type { ChangeEventLog, LoggedEvent } from "./change-event-log.js";

interface BayeuxMessage {
  channel: string;
  clientId?: string;
  id?: string;
  subscription?: string;
  ext?: { replay?: Record<string, number | string> };
  [key: string]: unknown;
}

interface CometdClient {
  id: string;
  userId: string;
  subscriptions: Set<string>;
  pending: Record<string, unknown>[];
  connected: boolean;
  waiter?: { res: Response; timer: NodeJS.Timeout; reply: Record<string, unknown> } | undefined;
}

const UNKNOWN_CLIENT = {
  successful: false,
  error: "403::Unknown client",
  advice: { reconnect: "handshake", interval: 0 },
};

/**
 * Bayeux long-polling as Salesforce's `/cometd/<version>` speaks it to jsforce's faye client:
 * handshake (advertising the replay extension), subscribe with `ext.replay` (`-1` new events,
 * `-2` all retained, an id to resume after — refused with Salesforce's `400::The replayId …`
 * message when outside retention), connect (the first answered at once, later ones held until an
 * event or `longPollMs`), disconnect. The token (`Authorization: OAuth …`) is checked on handshake
 * and connect; a bad one gets `advice.reconnect: "none"`, which jsforce's AuthFailure extension
 * reports.
 */
export class CometdServer {
  private readonly clients = new Map<string, CometdClient>();
  private readonly unsubscribe: () => void;
  handshakes = 0;

  constructor(
    private readonly log: ChangeEventLog,
    private readonly authenticate: (authorization: string | undefined) => string | undefined,
    private readonly longPollMs: number,
  ) {
    this.unsubscribe = log.onEvent((e) => this.deliver(e));
  }

  handle(req: Request, res: Response): void {
    const body = req.body as BayeuxMessage | BayeuxMessage[];
    const messages = Array.isArray(body) ? body : [body];
    const userId = this.authenticate(req.header("authorization"));
    const replies: Record<string, unknown>[] = [];
    for (const m of messages) {
      const reply = this.reply(m, userId, res);
      if (reply === "held") return;
      replies.push(...reply);
    }
    res.json(replies);
  }

  private reply(m: BayeuxMessage, userId: string | undefined, res: Response): Record<string, unknown>[] | "held" {
    const base = { channel: m.channel, id: m.id };
    if (m.channel === "/meta/handshake") {
      if (!userId)
        return [
          {
            ...base,
            successful: false,
            error: "403::Handshake denied",
            advice: { reconnect: "none" },
            ext: { sfdc: { failureReason: "401::Authentication invalid" }, replay: true },
          },
        ];
      this.handshakes += 1;
      const client: CometdClient = {
        id: randomUUID(),
        userId,
        subscriptions: new Set(),
        pending: [],
        connected: false,
      };
      this.clients.set(client.id, client);
      return [
        {
          ...base,
          successful: true,
          version: "1.0",
          clientId: client.id,
          supportedConnectionTypes: ["long-polling"],
          ext: { replay: true, "payload.format": true },
          advice: { reconnect: "retry", interval: 0, timeout: this.longPollMs },
        },
      ];
    }
    const client = m.clientId ? this.clients.get(m.clientId) : undefined;
    if (!client) return [{ ...base, clientId: m.clientId, ...UNKNOWN_CLIENT }];
    if (m.channel === "/meta/subscribe") return [this.subscribe(client, m)];
    if (m.channel === "/meta/unsubscribe") {
      client.subscriptions.delete(String(m.subscription));
      return [{ ...base, clientId: client.id, successful: true, subscription: m.subscription }];
    }
    if (m.channel === "/meta/disconnect") {
      this.drop(client.id);
      return [{ ...base, clientId: client.id, successful: true }];
    }
    if (m.channel === "/meta/connect") {
      if (!userId || userId !== client.userId) {
        this.drop(client.id);
        return [
          {
            ...base,
            clientId: client.id,
            successful: false,
            error: "401::Authentication invalid",
            advice: { reconnect: "none" },
          },
        ];
      }
      const reply = {
        ...base,
        clientId: client.id,
        successful: true,
        advice: { reconnect: "retry", interval: 0, timeout: this.longPollMs },
      };
      if (!client.connected || client.pending.length > 0) {
        client.connected = true;
        return [...client.pending.splice(0), reply];
      }
      client.waiter = { res, reply, timer: setTimeout(() => this.flush(client), this.longPollMs) };
      res.on("close", () => {
        if (client.waiter?.res === res) {
          clearTimeout(client.waiter.timer);
          client.waiter = undefined;
        }
      });
      return "held";
    }
    return [{ ...base, successful: false, error: `400::unknown channel ${m.channel}` }];
  }

  private subscribe(client: CometdClient, m: BayeuxMessage): Record<string, unknown> {
    const channel = String(m.subscription);
    const base = { channel: m.channel, id: m.id, clientId: client.id, subscription: channel };
    if (!/^\/data\/(ChangeEvents|\w+ChangeEvent)$/.test(channel))
      return {
        ...base,
        successful: false,
        error: `400::The channel you requested to subscribe to does not exist {${channel}}`,
      };
    const replayId = Number(m.ext?.replay?.[channel] ?? -1);
    const backlog = this.log.after(channel, replayId);
    if (!backlog)
      return {
        ...base,
        successful: false,
        error: `400::The replayId {${replayId}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
      };
    client.subscriptions.add(channel);
    for (const e of backlog) client.pending.push({ channel, data: e.data });
    return { ...base, successful: true };
  }

  private deliver(e: LoggedEvent): void {
    for (const client of this.clients.values()) {
      for (const channel of e.channels)
        if (client.subscriptions.has(channel)) client.pending.push({ channel, data: e.data });
      if (client.pending.length > 0) this.flush(client);
    }
  }

  private flush(client: CometdClient): void {
    const waiter = client.waiter;
    if (!waiter) return;
    client.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.res.json([...client.pending.splice(0), waiter.reply]);
  }

  private drop(id: string): void {
    const client = this.clients.get(id);
    if (client?.waiter) {
      clearTimeout(client.waiter.timer);
      client.waiter.res.json([{ ...client.waiter.reply, ...UNKNOWN_CLIENT }]);
    }
    this.clients.delete(id);
  }

  /** Forgets every client (a server restart or a dropped stream): they must handshake again. */
  dropAll(): void {
    for (const id of [...this.clients.keys()]) this.drop(id);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get heldConnects(): number {
    return [...this.clients.values()].filter((c) => c.waiter).length;
  }

  close(): void {
    this.dropAll();
    this.unsubscribe();
  }
}

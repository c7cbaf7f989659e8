import type { BrokerChoice } from '../../contracts/trading.js';
import { DomainError } from '../../core/kernel/index.js';
import type { TradeUpdate } from '../../core/trading/index.js';
import type { PaperCluster } from './paper-cluster.js';
import {
  type PaperBroadcast,
  type PaperCommand,
  type SettingsPatch,
  decodeBroadcast,
  decodeCommand,
  decodeReply,
  encodeBroadcast,
  encodeCommand,
  encodeReply,
} from './paper-commands.js';
import { notOwner } from './paper-ownership.js';
import { callAccountMethod } from './remote-paper-trading-account.js';
import type { TradingAccount } from './trading-account.js';
import type { TradingAccountRecord } from './trading-store.js';

/** What a forwarded command runs against on the owner (the trading service's own paper methods). */
export interface PaperCommandTarget {
  paperAccount(userId: string): Promise<TradingAccount>;
  paperRecord(userId: string): Promise<TradingAccountRecord>;
  configure(userId: string, patch: SettingsPatch): Promise<TradingAccountRecord>;
  setKillSwitch(active: boolean): Promise<number>;
}

/** What the other nodes' broadcasts tell this node. */
export interface PaperBroadcastListener {
  killSwitch(active: boolean): void;
  tradeUpdate(userId: string, update: TradeUpdate): void;
  /** A user's broker choice changed on another node. */
  brokerChosen(userId: string, broker: BrokerChoice): void;
}

/** What the messages between nodes are sent with and acted on. */
export interface PaperForwardingOptions {
  readonly cluster: PaperCluster;
  /** True while this node owns paper trading, and so may answer commands. */
  readonly isOwner: () => boolean;
  readonly target: PaperCommandTarget;
  readonly heard: PaperBroadcastListener;
  readonly log: (error: unknown, message: string) => void;
}

/**
 * The paper commands and broadcasts between the nodes of a cluster: a node that is not the owner
 * forwards each command and gets the owner's result or error back; the owner answers them and tells every
 * node its trade updates and kill switch changes. Any node tells the others of a user's new broker choice.
 */
export class PaperForwarding {
  constructor(private readonly options: PaperForwardingOptions) {}

  /** Runs a command on the owner; SERVICE_NOT_READY when no owner answers in time. */
  async forward(command: PaperCommand): Promise<unknown> {
    const { cluster } = this.options;
    let reply: string;
    try {
      reply = await cluster.bus.request(encodeCommand(command), cluster.timeoutMs ?? 5_000);
    } catch {
      throw notOwner();
    }
    return decodeReply(reply);
  }

  /** Starts answering forwarded commands (while this node is the owner); returns how to stop. */
  serve(): () => Promise<void> {
    return this.options.cluster.bus.serve((body) => this.answer(body));
  }

  /** Relays the owner's broadcasts to {@link PaperForwardingOptions.heard}; returns the unsubscribe. */
  listen(): () => void {
    return this.options.cluster.bus.subscribe((body) => this.receive(body));
  }

  /** Tells every other node a new kill switch state. */
  announceKillSwitch(active: boolean): void {
    this.broadcast({ kind: 'kill_switch', from: this.options.cluster.bus.nodeId, active });
  }

  /** Tells every other node a paper account's trade update. */
  announceTradeUpdate(userId: string, update: TradeUpdate): void {
    this.broadcast({ kind: 'trade_update', from: this.options.cluster.bus.nodeId, userId, update });
  }

  /** Tells every other node a user's new broker choice (the owner opens the connection of one on Alpaca). */
  announceBrokerChoice(userId: string, broker: BrokerChoice): void {
    this.broadcast({ kind: 'broker_chosen', from: this.options.cluster.bus.nodeId, userId, broker });
  }

  /** Answers a command forwarded by another node (or this one, while it was not the owner). */
  private async answer(body: string): Promise<string> {
    try {
      if (!this.options.isOwner()) throw notOwner();
      return encodeReply({ ok: true, result: await this.execute(decodeCommand(body)) });
    } catch (error) {
      if (!(error instanceof DomainError))
        this.options.log(error, 'paper trading: a forwarded command failed');
      return encodeReply({ ok: false, error });
    }
  }

  private async execute(command: PaperCommand): Promise<unknown> {
    const { target } = this.options;
    switch (command.op) {
      case 'account':
        return callAccountMethod(await target.paperAccount(command.userId), command.method, command.args);
      case 'record':
        return target.paperRecord(command.userId);
      case 'configure':
        return target.configure(command.userId, command.patch);
      case 'kill_switch':
        return target.setKillSwitch(command.active);
    }
  }

  private receive(body: string): void {
    let message;
    try {
      message = decodeBroadcast(body);
    } catch (error) {
      this.options.log(error, 'paper trading: an unreadable broadcast was dropped');
      return;
    }
    if (message.from === this.options.cluster.bus.nodeId) return;
    const { heard } = this.options;
    switch (message.kind) {
      case 'kill_switch':
        return heard.killSwitch(message.active);
      case 'trade_update':
        return heard.tradeUpdate(message.userId, message.update);
      case 'broker_chosen':
        return heard.brokerChosen(message.userId, message.broker);
    }
  }

  private broadcast(message: PaperBroadcast): void {
    void this.options.cluster.bus
      .publish(encodeBroadcast(message))
      .catch((error: unknown) => this.options.log(error, 'paper trading: a broadcast could not be sent'));
  }
}

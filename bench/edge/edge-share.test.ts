import { describe, expect, it } from 'vitest';
import { combineShares, type CpuProfile, edgeShare } from './edge-share.js';

const APP = 'file:///work/main/server/http/market/market.routes.ts';
const HOOKS = 'file:///work/main/node_modules/fastify/lib/hooks.js';
const SCREENS = 'file:///work/main/server/edge/screens.ts';
const FIREWALL = 'file:///work/main/server/edge/firewall/firewall.plugin.ts';
const RULE = 'file:///work/main/server/edge/firewall/rule.ts';
const MEMO = 'file:///work/main/dist/server/edge/memo.js';
const BOT = 'file:///work/main/server/edge/bot/bot-defence.plugin.ts';
const REPLY = 'file:///work/main/node_modules/fastify/lib/reply.js';

/** A profile from a tree of [name, url, own µs, children]: each node's own time is one sample of that length. */
type Tree = [string, string, number, Tree[]];
function profileOf(root: Tree): CpuProfile {
  const nodes: CpuProfile['nodes'] = [];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  const add = ([functionName, url, own, children]: Tree): number => {
    const id = nodes.length + 1;
    const node = { id, callFrame: { functionName, url }, children: [] as number[] };
    nodes.push(node);
    if (own > 0) {
      samples.push(id);
      timeDeltas.push(own);
    }
    for (const child of children) node.children.push(add(child));
    return id;
  };
  add(root);
  return { nodes, samples, timeDeltas };
}

describe('edgeShare', () => {
  it('counts what the edge ran and called, not what it handed on to the app, nor idle time', () => {
    const profile = profileOf([
      '(root)',
      '',
      0,
      [
        ['(idle)', '', 500, []],
        [
          'runHooks',
          HOOKS,
          10,
          [
            [
              'screen',
              SCREENS,
              4,
              [
                [
                  'judge',
                  FIREWALL,
                  6,
                  [
                    ['test', RULE, 5, []],
                    ['memo', MEMO, 3, []],
                  ],
                ],
                ['header', REPLY, 2, []],
                // The screens called done(): the app's handler runs beneath the edge's frame.
                ['next', HOOKS, 1, [['handler', APP, 40, []]]],
              ],
            ],
            ['onResponse', BOT, 7, []],
          ],
        ],
        ['handler', APP, 22, []],
        ['(garbage collector)', '', 9, []],
      ],
    ]);
    const share = edgeShare(profile);
    expect(share.busyUs).toBe(10 + 4 + 6 + 5 + 3 + 2 + 1 + 40 + 7 + 22 + 9);
    expect(share.gcUs).toBe(9);
    // screen 4 + reply.header 2 (called by the screens' loop), firewall 6 + 5 + 3, bot 7.
    expect(share.byLayer).toEqual({ screens: 6, firewall: 14, bot: 7 });
    expect(share.edgeUs).toBe(27);
    expect(share.sharePct).toBeCloseTo((100 * 27) / 109, 10);
  });

  it('is zero for a profile without the edge', () => {
    const share = edgeShare(
      profileOf([
        '(root)',
        '',
        0,
        [
          ['handler', APP, 30, []],
          ['(idle)', '', 70, []],
        ],
      ]),
    );
    expect(share).toEqual({ busyUs: 30, edgeUs: 0, sharePct: 0, byLayer: {}, gcUs: 0 });
  });

  it('adds several profiles up, each by its length', () => {
    const share = combineShares([
      { busyUs: 100, edgeUs: 10, sharePct: 10, byLayer: { firewall: 6, bot: 4 }, gcUs: 5 },
      { busyUs: 300, edgeUs: 6, sharePct: 2, byLayer: { firewall: 6 }, gcUs: 1 },
    ]);
    expect(share).toEqual({
      busyUs: 400,
      edgeUs: 16,
      sharePct: 4,
      byLayer: { firewall: 12, bot: 4 },
      gcUs: 6,
    });
  });
});

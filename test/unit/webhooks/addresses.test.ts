// Webhook deliveries reach public addresses only, checked on the address the socket connects to.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedLookup, webhookTransport } from '../../../shared/adapters/webhook-transport.js';
import { addressProblem, classifyAddress } from '../../../shared/domain/webhooks/addresses.js';
import { putWebhook } from '../../../shared/use-cases/webhooks.js';

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'internal'],
    ['10.1.2.3', 'internal'],
    ['172.31.255.1', 'internal'],
    ['192.168.0.10', 'internal'],
    ['100.64.0.1', 'internal'],
    ['0.0.0.0', 'internal'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'internal'],
    ['fe80::1', 'internal'],
    ['fd12:3456::1', 'internal'],
    ['::', 'internal'],
    ['64:ff9b::a9fe:a9fe', 'internal'],
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('lets loopback through only where the stack allows it, and never anything internal', () => {
    expect(addressProblem('127.0.0.1', true)).toBeUndefined();
    expect(addressProblem('127.0.0.1', false)).toMatch(/loopback/);
    expect(addressProblem('169.254.169.254', true)).toMatch(/link-local/);
  });
});

const lookupOnce = (lookup: ReturnType<typeof checkedLookup>, hostname: string) =>
  new Promise<string>((resolve, reject) =>
    lookup(hostname, {}, (error, address) => (error ? reject(error) : resolve(String(address)))),
  );

describe('checkedLookup', () => {
  it('refuses a name with any internal address among its answers, and passes a public one', async () => {
    const resolve = async (hostname: string) =>
      hostname === 'mixed.example'
        ? [
            { address: '93.184.216.34', family: 4 },
            { address: '169.254.169.254', family: 4 },
          ]
        : [{ address: '93.184.216.34', family: 4 }];
    const lookup = checkedLookup(false, resolve);

    await expect(lookupOnce(lookup, 'mixed.example')).rejects.toThrow(/169\.254\.169\.254/);
    await expect(lookupOnce(lookup, 'public.example')).resolves.toBe('93.184.216.34');
  });
});

describe('webhookTransport', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(String(request.headers.host));
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (
    allowLoopback: boolean,
    host: string,
    resolve?: (name: string) => Promise<{ address: string; family: number }[]>,
  ) =>
    webhookTransport({ allowLoopback, ...(resolve ? { resolve } : {}) })({
      url: `http://${host}:${port}/hook`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 2_000,
    });

  it('does not connect to a host name that resolves to this machine unless the stack allows it', async () => {
    received.length = 0;
    await expect(post(false, 'localhost')).rejects.toThrow(/loopback/);
    expect(received).toEqual([]);
    await expect(post(true, 'localhost')).resolves.toEqual({ status: 200 });
    expect(received).toEqual([`localhost:${port}`]);
  });

  it('checks the answer the connection uses, so a name re-bound to an internal address is refused', async () => {
    // A name that resolved to a public address when the webhook was set now answers the metadata service.
    received.length = 0;
    const rebound = async () => [{ address: '169.254.169.254', family: 4 }];
    await expect(post(true, 'rebound.example', rebound)).rejects.toThrow(/link-local/);
    expect(received).toEqual([]);
  });
});

describe('putWebhook', () => {
  const deps = (receivers: 'public' | 'public-or-loopback') => ({
    store: { put: async () => undefined, settings: async () => undefined },
    now: () => new Date('2026-12-07T12:00:00Z'),
    receivers,
    delivery: {
      health: async () => ({ consecutiveFailures: 0 }),
      setHealth: async () => undefined,
      parked: async () => [],
      unpark: async () => undefined,
    },
    requeue: async () => undefined,
  });
  const settings = (url: string) => ({ url, secret: 'whsec_0123456789abcdef' });

  it('refuses http and this machine in a deployed stack, naming url, and never shows the secret', async () => {
    for (const url of ['http://localhost:8080/hook', 'https://127.0.0.1/hook']) {
      const refused = await putWebhook({ platformId: 'acme', settings: settings(url) }, deps('public')).catch(
        (error: unknown) => error,
      );
      expect(refused, url).toMatchObject({
        errors: [{ path: 'url', message: expect.stringMatching(/https/) }],
      });
    }
    const local = await putWebhook(
      { platformId: 'acme', settings: settings('http://localhost:8080/hook') },
      deps('public-or-loopback'),
    );
    expect(local).toMatchObject({ url: 'http://localhost:8080/hook', updatedAt: '2026-12-07T12:00:00.000Z' });
    expect(JSON.stringify(local)).not.toContain('whsec');
  });
});

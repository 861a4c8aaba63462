import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs, retryingFetch } from '../../../cli/retry.js';

describe('retryingFetch', () => {
  it('sends the same request again after Retry-After while the API answers 503, then returns the answer', async () => {
    // Prepare
    const bodies: string[] = [];
    const answers = [
      new Response('busy', { status: 503, headers: { 'retry-after': '0' } }),
      new Response('slow down', { status: 429, headers: { 'retry-after': '0' } }),
      new Response('{"ok":true}', { status: 207 }),
    ];
    const retries: string[] = [];
    const send = retryingFetch(
      { retryForMs: 10_000, onRetry: (reason) => retries.push(reason) },
      async (input) => {
        bodies.push(await (input as Request).text());
        return answers.shift() as Response;
      },
    );
    // Act
    const response = await send('http://api.test/v1/declarations/batch', { method: 'POST', body: '{"a":1}' });
    // Assess
    expect(response.status).toBe(207);
    expect(bodies).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
    expect(retries).toEqual(['HTTP 503', 'HTTP 429']);
  });

  it('returns the refusal once retrying would outlast --retry-for', async () => {
    // Prepare
    let calls = 0;
    const send = retryingFetch({ retryForMs: 500 }, async () => {
      calls += 1;
      return new Response('busy', { status: 503, headers: { 'retry-after': '5' } });
    });
    // Act
    const response = await send('http://api.test/x');
    // Assess
    expect(response.status).toBe(503);
    expect(calls).toBe(1);
  });

  it('does not send again what the API refused for a reason of its own', async () => {
    // Prepare
    let calls = 0;
    const send = retryingFetch({ retryForMs: 10_000 }, async () => {
      calls += 1;
      return new Response('{}', { status: 400 });
    });
    // Act
    const response = await send('http://api.test/x');
    // Assess
    expect(response.status).toBe(400);
    expect(calls).toBe(1);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Mon, 07 Dec 2026 10:00:05 GMT', Date.parse('2026-12-07T10:00:00Z'))).toBe(5000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('backs off exponentially up to 30 s when the server names no wait', () => {
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
    expect(backoffMs(2, () => 0)).toBe(1000);
  });
});

describe('retryingFetch and server errors', () => {
  it('sends a request that met a 500 again, but only a few times', async () => {
    // Prepare
    let calls = 0;
    const send = retryingFetch({ retryForMs: 60_000 }, async () => {
      calls += 1;
      return new Response('{}', { status: 500 });
    });
    // Act
    const response = await send('http://api.test/x', { method: 'POST', body: '{}' });
    // Assess
    expect(response.status).toBe(500);
    expect(calls).toBe(3);
  }, 20_000);
});

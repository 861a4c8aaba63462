import { describe, expect, it } from 'vitest';
import { InjectedCrashError, parseFaults, withFaults } from '../../../infra/local/faults.js';

describe('parseFaults', () => {
  it('reads the CLEARWAY_FAULTS list', () => {
    expect(parseFaults('duplicate-delivery,crash-after-write:0.2')).toEqual({
      duplicateDelivery: true,
      crashAfterWrite: 0.2,
    });
    expect(parseFaults('dynamodb-throttle:0.3, duplicate-delivery')).toEqual({
      dynamoDbThrottle: 0.3,
      duplicateDelivery: true,
    });
    expect(parseFaults('')).toBeUndefined();
    expect(() => parseFaults('crash-after-write:2')).toThrow(/share/);
    expect(() => parseFaults('dynamodb-throttle:-1')).toThrow(/share/);
    expect(() => parseFaults('network-partition')).toThrow(/Unknown fault/);
  });
});

describe('withFaults', () => {
  it('delivers every batch twice, at once or one after the other', async () => {
    for (const draw of [0.1, 0.9]) {
      let calls = 0;
      const result = await withFaults({ duplicateDelivery: true, random: () => draw }, async () => {
        calls += 1;
        return 'done';
      });
      expect(result).toBe('done');
      expect(calls).toBe(2);
    }
  });

  it('fails an invocation after its work when the crash draw hits', async () => {
    let calls = 0;
    const run = withFaults({ crashAfterWrite: 0.5, random: () => 0.1 }, async () => {
      calls += 1;
    });
    await expect(run).rejects.toBeInstanceOf(InjectedCrashError);
    expect(calls).toBe(1);
  });
});

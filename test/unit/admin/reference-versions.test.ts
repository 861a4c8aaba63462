import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tariffRateOn } from '../../../shared/domain/duty/reference-data.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import {
  checkEndDate,
  endVersions,
  isInForce,
  type Period,
  putVersion,
  removeFutureVersion,
  shiftDate,
  versionOn,
} from '../../../shared/domain/reference/versions.js';

type Rate = Period & { dutyRate: string };
const rate = (validFrom: string, dutyRate: string, validTo?: string): Rate => ({
  dutyRate,
  validFrom,
  ...(validTo ? { validTo } : {}),
});
const periods = { periods: true };

describe('putVersion', () => {
  it('ends the open version the day before a new one starts', () => {
    // Prepare
    const current = [rate('2026-01-01', '0.05')];

    // Act
    const change = putVersion(current, rate('2026-07-01', '0.12'), periods);

    // Assess
    expect(change.versions).toEqual([rate('2026-01-01', '0.05', '2026-06-30'), rate('2026-07-01', '0.12')]);
    expect(change.before).toEqual([rate('2026-01-01', '0.05')]);
    expect(change.after).toEqual([rate('2026-01-01', '0.05', '2026-06-30'), rate('2026-07-01', '0.12')]);
  });

  it('replaces the version with the same validFrom (a correction)', () => {
    const current = [rate('2026-01-01', '0.05', '2026-06-30'), rate('2026-07-01', '0.12')];

    const change = putVersion(current, rate('2026-07-01', '0.10'), periods);

    expect(change.versions).toEqual([rate('2026-01-01', '0.05', '2026-06-30'), rate('2026-07-01', '0.10')]);
    expect(change.before).toEqual([rate('2026-07-01', '0.12')]);
    expect(change.after).toEqual([rate('2026-07-01', '0.10')]);
  });

  it('runs a version inserted before a later one until that one starts', () => {
    const current = [rate('2026-01-01', '0.05')];

    const change = putVersion(current, rate('2025-01-01', '0.02'), periods);

    expect(change.versions).toEqual([rate('2025-01-01', '0.02', '2025-12-31'), rate('2026-01-01', '0.05')]);
  });

  it('refuses a validTo that reaches into the next version, naming validTo', () => {
    const current = [rate('2026-07-01', '0.12')];

    const attempt = () => putVersion(current, rate('2026-01-01', '0.05', '2026-08-01'), periods);

    expect(attempt).toThrow(ConflictError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConflictError).details.errors).toEqual([expect.objectContaining({ path: 'validTo' })]);
    }
  });

  it('refuses to replace a started version when started versions are protected', () => {
    const current = [rate('2026-01-01', '0.05')];

    expect(() =>
      putVersion(current, rate('2026-01-01', '0.07'), {
        periods: true,
        protectStarted: { today: '2026-11-30' },
      }),
    ).toThrow(ConflictError);
    expect(
      putVersion(current, rate('2026-11-30', '0.07'), {
        periods: true,
        protectStarted: { today: '2026-11-30' },
      }).versions,
    ).toHaveLength(2);
  });

  it('refuses to cut a started version short on past days when started versions are protected', () => {
    const current = [rate('2026-01-01', '0.05')];
    const protect = { periods: true, protectStarted: { today: '2026-11-30' } };

    expect(() => putVersion(current, rate('2026-06-01', '0.07'), protect)).toThrow(ConflictError);
    expect(putVersion(current, rate('2026-11-30', '0.07'), protect).versions[0]).toEqual(
      rate('2026-01-01', '0.05', '2026-11-29'),
    );
  });

  it('leaves exchange rates without validTo: the latest validFrom applies', () => {
    const change = putVersion(
      [{ validFrom: '2026-01-01', rate: '0.9' }],
      { validFrom: '2026-02-01', rate: '0.92' },
      {
        periods: false,
      },
    );

    expect(change.versions).toEqual([
      { validFrom: '2026-01-01', rate: '0.9' },
      { validFrom: '2026-02-01', rate: '0.92' },
    ]);
  });
});

describe('endVersions', () => {
  it('ends the version in force on the last day and removes later ones', () => {
    const current = [
      rate('2026-01-01', '0.05', '2026-06-30'),
      rate('2026-07-01', '0.12', '2027-12-31'),
      rate('2028-01-01', '0.2'),
    ];

    const change = endVersions(current, '2026-11-29');

    expect(change?.versions).toEqual([
      rate('2026-01-01', '0.05', '2026-06-30'),
      rate('2026-07-01', '0.12', '2026-11-29'),
    ]);
    expect(change?.before).toEqual([rate('2026-07-01', '0.12', '2027-12-31'), rate('2028-01-01', '0.2')]);
    expect(change?.after).toEqual([rate('2026-07-01', '0.12', '2026-11-29')]);
  });

  it('changes nothing when already ended', () => {
    expect(endVersions([rate('2026-01-01', '0.05', '2026-03-31')], '2026-11-29')).toBeUndefined();
  });

  it('refuses an end date before yesterday', () => {
    expect(() => checkEndDate('2026-11-28', '2026-11-30')).toThrow(ValidationError);
    expect(() => checkEndDate('2026-11-29', '2026-11-30')).not.toThrow();
  });
});

describe('removeFutureVersion', () => {
  it('removes a version that has not started and gives its period back to the one before', () => {
    const current = [rate('2026-01-01', '0.05', '2027-06-30'), rate('2027-07-01', '0.12')];

    const change = removeFutureVersion(current, '2027-07-01', '2026-11-30');

    expect(change.versions).toEqual([rate('2026-01-01', '0.05')]);
    expect(change.before).toEqual([rate('2026-01-01', '0.05', '2027-06-30'), rate('2027-07-01', '0.12')]);
  });

  it('refuses a version that has started, and an unknown one', () => {
    const current = [rate('2026-01-01', '0.05')];

    expect(() => removeFutureVersion(current, '2026-01-01', '2026-11-30')).toThrow(ConflictError);
    expect(() => removeFutureVersion(current, '2027-01-01', '2026-11-30')).toThrow(NotFoundError);
  });
});

describe('the timeline after any sequence of changes', () => {
  const day = fc.integer({ min: 0, max: 120 }).map((offset) => shiftDate('2026-01-01', offset));
  const operation = fc.oneof(
    fc.record({
      op: fc.constant('put' as const),
      from: day,
      length: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    }),
    fc.record({ op: fc.constant('end' as const), last: day }),
    fc.record({ op: fc.constant('remove' as const), from: day }),
  );

  it('stays sorted and non-overlapping, and both readers pick the same version on every day', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 25 }), (operations) => {
        let versions: Rate[] = [];
        operations.forEach((step, index) => {
          try {
            if (step.op === 'put') {
              const validTo = step.length === undefined ? undefined : shiftDate(step.from, step.length);
              versions = putVersion(versions, rate(step.from, String(index), validTo), periods).versions;
            } else if (step.op === 'end') {
              versions = endVersions(versions, step.last)?.versions ?? versions;
            } else {
              versions = removeFutureVersion(versions, step.from, '2025-12-31').versions;
            }
          } catch (error) {
            if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
          }
        });
        for (let index = 1; index < versions.length; index += 1) {
          const previous = versions[index - 1] as Rate;
          const current = versions[index] as Rate;
          expect(previous.validFrom < current.validFrom).toBe(true);
          expect(previous.validTo !== undefined && previous.validTo < current.validFrom).toBe(true);
        }
        const tariffs = versions.map((version) => ({ ...version, hsCode: '61' }));
        for (let offset = -1; offset <= 200; offset += 7) {
          const date = shiftDate('2026-01-01', offset);
          expect(tariffRateOn(tariffs, '610910', date)?.dutyRate).toBe(versionOn(versions, date)?.dutyRate);
          // One reading of a timeline: at most one version is in force, and it is the one versionOn picks.
          const inForce = versions.filter((version) => isInForce(version, date));
          expect(inForce.length).toBeLessThanOrEqual(1);
          expect(versionOn(versions, date)).toEqual(inForce[0]);
        }
      }),
    );
  });
});

// Progress of a lodgement: a bar with rate and ETA on a terminal, a plain line at most once a second
// otherwise (CI logs, pipes), both on standard error so standard output keeps only the summary.
import { Presets, SingleBar } from 'cli-progress';
import type { LodgeCounts } from './lodge.js';

export interface Progress {
  update(done: number, counts: LodgeCounts): void;
  retry(reason: string, waitMs: number): void;
  stop(): void;
}

const rateOf = (done: number, startedAt: number, now: number): number =>
  now > startedAt ? (done * 1000) / (now - startedAt) : 0;

export const terminalProgress = (total: number, stream: NodeJS.WriteStream = process.stderr): Progress => {
  const bar = new SingleBar(
    {
      stream,
      format:
        'lodging {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted} | refused {refused}{note}',
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  const startedAt = Date.now();
  bar.start(total, 0, { rate: '0', refused: 0, note: '' });
  return {
    update: (done, counts) =>
      bar.update(done, {
        rate: rateOf(done, startedAt, Date.now()).toFixed(0),
        refused: counts.refused + counts.conflicts,
        note: '',
      }),
    retry: (reason, waitMs) => bar.update({ note: ` | ${reason}, again in ${(waitMs / 1000).toFixed(1)} s` }),
    stop: () => bar.stop(),
  };
};

export const lineProgress = (
  total: number,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  now: () => number = Date.now,
): Progress => {
  const startedAt = now();
  let last = 0;
  return {
    update: (done, counts) => {
      const at = now();
      if (done < total && at - last < 1000) return;
      last = at;
      const rate = rateOf(done, startedAt, at);
      const eta = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
      write(
        `progress ${done}/${total} ${total > 0 ? Math.floor((done * 100) / total) : 100}% ${rate.toFixed(0)}/s` +
          `${eta === undefined ? '' : ` eta ${eta}s`} refused ${counts.refused + counts.conflicts}`,
      );
    },
    retry: (reason, waitMs) => write(`retry ${reason}; sending again in ${(waitMs / 1000).toFixed(1)} s`),
    stop: () => undefined,
  };
};

// What `clearway lodge` shows while it runs: on a terminal a bar with the rate, the ETA and what was
// refused; otherwise plain progress lines, at most one a second, and the last one always.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineProgress, terminalProgress } from '../../../cli/lodge/progress.js';

const counts = (refused = 0) => ({ accepted: 0, alreadyLodged: 0, refused, conflicts: 0 });

/** A terminal of 120 columns that keeps what was written to it. */
const aTerminal = () => {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('utf8');
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 120, rows: 40 });
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => written };
};

describe('lodge progress', () => {
  it('draws a bar with the count, the rate, the ETA and the refused on a terminal', () => {
    const terminal = aTerminal();
    const progress = terminalProgress(200, terminal.stream);

    progress.update(50, counts(2));
    progress.retry('HTTP 503', 1500);
    progress.stop();

    const shown = terminal.written();
    expect(shown).toMatch(/lodging .*\d+% \| 50\/200 \| \d+\/s \| ETA [^|]+\| refused 2/);
    expect(shown).toContain('HTTP 503, again in 1.5 s');
  });

  it('writes plain lines at most once a second, and always the last one', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = lineProgress(
      100,
      (line) => lines.push(line),
      () => clock,
    );

    clock = 500;
    progress.update(10, counts());
    clock = 1_000;
    progress.update(40, counts());
    clock = 1_400;
    progress.update(60, counts(1));
    clock = 1_500;
    progress.update(100, counts(1));

    expect(lines).toEqual([
      'progress 40/100 40% 40/s eta 2s refused 0',
      'progress 100/100 100% 67/s eta 0s refused 1',
    ]);
  });
});

import { useState } from 'react';
import { daysBefore, today } from './format';

export interface Range {
  from: string;
  to: string;
  setFrom: (value: string) => void;
  setTo: (value: string) => void;
}

export const useDateRange = (days: number): Range => {
  const [to, setTo] = useState(today());
  const [from, setFrom] = useState(daysBefore(today(), days - 1));
  return { from, to, setFrom, setTo };
};

/** From and to dates; the API checks the range and says what is wrong with it. */
export function DateRange({ range }: { range: Range }) {
  return (
    <>
      <label>
        From
        <input type="date" value={range.from} onChange={(event) => range.setFrom(event.target.value)} />
      </label>
      <label>
        To
        <input type="date" value={range.to} onChange={(event) => range.setTo(event.target.value)} />
      </label>
    </>
  );
}

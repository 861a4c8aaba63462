import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { ChartView } from '../ui/Chart';
import { money } from '../ui/format';
import { QueryState } from '../ui/ProblemView';

const sumBy = <T,>(rows: T[], key: (row: T) => string, value: (row: T) => number) => {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + value(row));
  return [...sums].sort((a, b) => b[1] - a[1]);
};

/** Only closed months are published: start on the one before the current month (UTC). */
const lastClosedMonth = (): string => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

/** The published statistics: no sign-in, coarse cells, small ones suppressed by the API. */
export function PublicStatisticsPage() {
  const [month, setMonth] = useState(lastClosedMonth);
  const report = useQuery({
    queryKey: ['public-statistics', month],
    queryFn: () => unwrap(api.GET('/v1/public/statistics', { params: { query: { month } } })),
    placeholderData: keepPreviousData,
  });
  const shown = (report.data?.rows ?? []).flatMap((row) => (row.suppressed ? [] : [row]));
  const suppressed = (report.data?.rows.length ?? 0) - shown.length;
  const byChapter = sumBy(
    shown,
    (row) => row.hsChapter,
    (row) => row.consignments,
  );
  const byOrigin = sumBy(
    shown,
    (row) => row.originCountry,
    (row) => row.consignments,
  );
  const byChannel = sumBy(
    shown,
    (row) => row.channel,
    (row) => row.consignments,
  );

  return (
    <>
      <header className="top">
        <span className="brand">Clearway: cross-border e-commerce statistics</span>
      </header>
      <main id="main">
        <h1>Published statistics</h1>
        <form className="filters" onSubmit={(event) => event.preventDefault()}>
          <label>
            Month
            <input
              type="month"
              value={month}
              max={lastClosedMonth()}
              onChange={(event) => setMonth(event.target.value)}
            />
          </label>
        </form>
        <QueryState isPending={report.isPending} error={report.error} />
        {report.data && (
          <div className="charts">
            <p>
              Amounts in {report.data.currency}. Cells with fewer than {report.data.minimumConsignments}{' '}
              consignments, or in which one filer lodged more than{' '}
              {Number(report.data.maximumFilerShare) * 100} % of the consignments or of the value, are not
              published ({suppressed} suppressed).
            </p>
            {(
              [
                ['HS chapter', byChapter],
                ['origin', byOrigin],
                ['channel', byChannel],
              ] as const
            ).map(([name, sums]) => (
              <ChartView
                key={name}
                title={`Consignments by ${name}`}
                kind="bar"
                labels={sums.map(([key]) => key)}
                series={[{ label: 'consignments', values: sums.map(([, count]) => count) }]}
              />
            ))}
            <table className="list">
              <caption>Published cells</caption>
              <thead>
                <tr>
                  <th scope="col">HS chapter</th>
                  <th scope="col">Origin</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Consignments</th>
                  <th scope="col">Value</th>
                  <th scope="col">Duty</th>
                  <th scope="col">Tax</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row) => (
                  <tr key={`${row.hsChapter}:${row.originCountry}:${row.channel}`}>
                    <td>{row.hsChapter}</td>
                    <td>{row.originCountry}</td>
                    <td>{row.channel}</td>
                    <td>{row.consignments}</td>
                    <td className="amount">{money(row.value)}</td>
                    <td className="amount">{money(row.duty)}</td>
                    <td className="amount">{money(row.tax)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </main>
    </>
  );
}

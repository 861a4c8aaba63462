import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client';
import { ChartView } from '../ui/Chart';
import { DateRange, useDateRange } from '../ui/DateRange';
import { money } from '../ui/format';
import { ProblemView, QueryState } from '../ui/ProblemView';

type GroupBy = Schemas['RevenueReport']['groupBy'][number];
const GROUPS: { value: GroupBy; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'month', label: 'Month' },
  { value: 'taxCode', label: 'Tax code' },
  { value: 'collectionModel', label: 'Collection model' },
  { value: 'platform', label: 'Platform' },
  { value: 'payer', label: 'Payer' },
];
const MEASURES = ['assessed', 'collected', 'refunded', 'extinguished', 'outstanding'] as const;

const labelFor = (row: Record<string, string>, keys: readonly string[]) =>
  keys.map((key) => row[key] ?? '').join(' / ');

export function RevenuePage() {
  const range = useDateRange(30);
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [thenBy, setThenBy] = useState<GroupBy | ''>('');
  const keys: GroupBy[] = thenBy && thenBy !== groupBy ? [groupBy, thenBy] : [groupBy];
  const query = { from: range.from, to: range.to, groupBy: keys.join(',') };
  const labelOf = (row: Record<string, string>) => labelFor(row, keys);

  const report = useQuery({
    queryKey: ['revenue', query],
    queryFn: () => unwrap(api.GET('/v1/revenue', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  // The CSV is the API's own rendering of the same view (Accept: text/csv), saved as a file.
  const csv = useMutation({
    mutationFn: () =>
      unwrap(
        api.GET('/v1/revenue', {
          params: { query },
          headers: { Accept: 'text/csv' },
          parseAs: 'text',
        }),
      ),
    onSuccess: (text) => {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      link.download = `revenue-${range.from}-${range.to}-${keys.join('-')}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });

  const chart = useMemo(() => {
    const rows = report.data?.rows ?? [];
    const labelOf = (row: Record<string, string>) => labelFor(row, query.groupBy.split(','));
    const currencies = new Set(rows.map((row) => row.currency));
    const labels = rows.map((row) =>
      currencies.size > 1 ? `${labelOf(row)} ${row.currency}` : labelOf(row),
    );
    const series = MEASURES.map((measure) => ({ label: measure, values: rows.map((row) => row[measure]) }));
    return { labels, series };
  }, [report.data, query.groupBy]);

  return (
    <>
      <h1>Revenue</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <DateRange range={range} />
        <label>
          Group by
          <select value={groupBy} onChange={(event) => setGroupBy(event.target.value as GroupBy)}>
            {GROUPS.map((group) => (
              <option key={group.value} value={group.value}>
                {group.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Then by
          <select value={thenBy} onChange={(event) => setThenBy(event.target.value as GroupBy | '')}>
            <option value="">nothing</option>
            {GROUPS.filter((group) => group.value !== groupBy).map((group) => (
              <option key={group.value} value={group.value}>
                {group.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => csv.mutate()} disabled={csv.isPending}>
          Download CSV
        </button>
      </form>
      <ProblemView error={csv.error} />
      <QueryState isPending={report.isPending} error={report.error} />
      {report.data && (
        <>
          <ChartView
            title={`Revenue by ${keys.join(' and ')}`}
            kind={groupBy === 'day' || groupBy === 'month' ? 'line' : 'bar'}
            labels={chart.labels}
            series={chart.series}
          />
          <table className="list">
            <caption>
              Revenue {report.data.from} to {report.data.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  {keys.map((key) => GROUPS.find((group) => group.value === key)?.label).join(' / ')}
                </th>
                <th scope="col">Currency</th>
                {MEASURES.map((measure) => (
                  <th scope="col" key={measure}>
                    {measure}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.data.rows.map((row) => (
                <tr key={`${labelOf(row)}:${row.currency}`}>
                  <th scope="row">{labelOf(row)}</th>
                  <td>{row.currency}</td>
                  {MEASURES.map((measure) => (
                    <td className="amount" key={measure}>
                      {money(row[measure])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {report.data.rows.length === 0 && <p>No revenue in this range.</p>}
        </>
      )}
    </>
  );
}

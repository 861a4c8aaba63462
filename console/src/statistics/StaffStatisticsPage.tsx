import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client';
import { ChartView } from '../ui/Chart';
import { DateRange, useDateRange } from '../ui/DateRange';
import { money } from '../ui/format';
import { QueryState } from '../ui/ProblemView';

type GroupBy = Schemas['StatisticsReport']['groupBy'][number];
const GROUPS: { value: GroupBy; label: string }[] = [
  { value: 'originCountry', label: 'Origin' },
  { value: 'hsChapter', label: 'HS chapter' },
  { value: 'channel', label: 'Channel' },
  { value: 'lane', label: 'Lane' },
  { value: 'valueBand', label: 'Value band' },
  { value: 'collectionModel', label: 'Collection model' },
  { value: 'day', label: 'Day' },
  { value: 'month', label: 'Month' },
];

export function StaffStatisticsPage() {
  const range = useDateRange(30);
  const [groupBy, setGroupBy] = useState<GroupBy>('originCountry');
  const query = { from: range.from, to: range.to, groupBy };
  const report = useQuery({
    queryKey: ['statistics', query],
    queryFn: () => unwrap(api.GET('/v1/statistics', { params: { query } })),
    placeholderData: keepPreviousData,
    // As the revenue dashboard: figures of the day keep up without a reload.
    refetchInterval: 10_000,
  });
  const rows = report.data?.rows ?? [];
  const label = GROUPS.find((group) => group.value === groupBy)?.label ?? groupBy;

  return (
    <>
      <h1>E-commerce statistics</h1>
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
      </form>
      <QueryState isPending={report.isPending} error={report.error} />
      {report.data && (
        <div className="charts">
          <ChartView
            title={`Consignments by ${label.toLowerCase()}`}
            kind="bar"
            labels={rows.map((row) => row[groupBy] ?? '')}
            series={[
              { label: 'consignments', values: rows.map((row) => row.consignments) },
              { label: 'item lines', values: rows.map((row) => row.items) },
            ]}
          />
          <ChartView
            title={`Value, duty and tax by ${label.toLowerCase()}`}
            kind="bar"
            labels={rows.map((row) => row[groupBy] ?? '')}
            series={[
              { label: 'value', values: rows.map((row) => row.value) },
              { label: 'duty', values: rows.map((row) => row.duty) },
              { label: 'tax', values: rows.map((row) => row.tax) },
            ]}
          />
          <ChartView
            title="Release time percentiles by lane (seconds)"
            kind="bar"
            labels={report.data.releaseTime.map((lane) => lane.lane)}
            series={(['p50Ms', 'p90Ms', 'p99Ms'] as const).map((key) => ({
              label: key.replace('Ms', ''),
              values: report.data.releaseTime.map((lane) => (lane[key] / 1000).toFixed(1)),
            }))}
          />
          <table className="list">
            <caption>Totals by {label.toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col">{label}</th>
                <th scope="col">Consignments</th>
                <th scope="col">Value</th>
                <th scope="col">Duty</th>
                <th scope="col">Tax</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row[groupBy]}>
                  <th scope="row">{row[groupBy]}</th>
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
    </>
  );
}

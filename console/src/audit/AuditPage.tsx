import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { DateRange, useDateRange } from '../ui/DateRange';
import { dateTime, who } from '../ui/format';
import { Pager } from '../ui/Pager';
import { QueryState } from '../ui/ProblemView';

/** Every change to reference data, newest first, naming who made it. */
export function AuditPage() {
  const range = useDateRange(30);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const audit = useQuery({
    queryKey: ['audit', range.from, range.to, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/v1/admin/audit', {
          params: { query: { from: range.from, to: range.to, limit: 50, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h1>Audit log</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <DateRange range={range} />
      </form>
      <QueryState isPending={audit.isPending} error={audit.error} />
      {audit.data && (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Change</th>
                <th scope="col">Record</th>
                <th scope="col">Versions after</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.items.map((entry) => (
                <tr key={entry.id}>
                  <td>{dateTime(entry.at)}</td>
                  <td>
                    {who(entry.actor.subject, entry.actor.person)} ({entry.actor.role})
                  </td>
                  <td>{entry.action}</td>
                  <td>
                    {entry.kind} {entry.key}
                  </td>
                  <td>{entry.after.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {audit.data.items.length === 0 && <p>No changes in this range.</p>}
          <Pager cursors={cursors} setCursors={setCursors} next={audit.data.cursor} />
        </>
      )}
    </>
  );
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { age, money } from '../ui/format';
import { Pager } from '../ui/Pager';
import { QueryState } from '../ui/ProblemView';

const PAGE = 20;
/** How often the queue asks again: changes made elsewhere show within seconds. */
const REFRESH_MS = 3_000;

type Lane = 'AMBER' | 'RED' | 'GREEN';

export function QueuePage() {
  const [lane, setLane] = useState<Lane | ''>('');
  const [platformId, setPlatformId] = useState('');
  const [order, setOrder] = useState<'newest' | 'oldest'>('oldest');
  // Cursors of the pages before this one: paging never loads everything.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const filters = { lane, platformId: platformId.trim(), order };

  const queue = useQuery({
    queryKey: ['queue', filters, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/v1/declarations', {
          params: {
            query: {
              status: 'HELD',
              order,
              limit: PAGE,
              ...(lane ? { lane } : {}),
              ...(filters.platformId ? { platformId: filters.platformId } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const restart = () => setCursors([]);

  return (
    <>
      <h1>Work queue: held declarations</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Lane
          <select
            value={lane}
            onChange={(event) => {
              setLane(event.target.value as Lane | '');
              restart();
            }}
          >
            <option value="">Any</option>
            <option value="RED">RED (inspection)</option>
            <option value="AMBER">AMBER (documents)</option>
            <option value="GREEN">GREEN</option>
          </select>
        </label>
        <label>
          Platform
          <input
            value={platformId}
            onChange={(event) => {
              setPlatformId(event.target.value);
              restart();
            }}
            placeholder="any"
          />
        </label>
        <label>
          Order
          <select
            value={order}
            onChange={(event) => {
              setOrder(event.target.value as 'newest' | 'oldest');
              restart();
            }}
          >
            <option value="oldest">Oldest first</option>
            <option value="newest">Newest first</option>
          </select>
        </label>
      </form>
      <QueryState isPending={queue.isPending} error={queue.error} />
      {queue.data && (
        <>
          <table className="list">
            <caption className="visually-hidden">Held declarations</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Platform</th>
                <th scope="col">Lane</th>
                <th scope="col">Lodged</th>
                <th scope="col">Goods value</th>
                <th scope="col">Due at import</th>
                <th scope="col">Duty and tax</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.items.map((item) => (
                <tr key={item.id}>
                  <td>
                    <Link href={`/declarations/${encodeURIComponent(item.id)}`}>{item.reference}</Link>
                  </td>
                  <td>{item.platformId}</td>
                  <td>
                    <span className={`lane lane-${item.lane ?? 'NONE'}`}>{item.lane ?? 'none'}</span>
                  </td>
                  <td>
                    <time dateTime={item.createdAt}>{age(item.createdAt)} ago</time>
                  </td>
                  <td className="amount">
                    {item.goodsValue ? money(item.goodsValue.amount, item.goodsValue.currency) : ''}
                  </td>
                  <td className="amount">{money(item.totals?.dueAtImport)}</td>
                  <td className="amount">
                    {item.totals ? `${money(item.totals.duty)} + ${money(item.totals.tax)}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {queue.data.items.length === 0 && <p>No held declarations match.</p>}
          <Pager cursors={cursors} setCursors={setCursors} next={queue.data.cursor} />
        </>
      )}
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { money } from '../ui/format';
import { QueryState } from '../ui/ProblemView';

/** The monthly statement of a deferred or collecting account (a platform or carrier). */
export function StatementsPage() {
  const [account, setAccount] = useState('');
  const [month, setMonth] = useState(new Date().toISOString().slice(0, 7));
  const [asked, setAsked] = useState<{ account: string; month: string }>();
  const statement = useQuery({
    queryKey: ['statement', asked],
    queryFn: () =>
      unwrap(api.GET('/v1/revenue/statements', { params: { query: asked ?? { account, month } } })),
    enabled: asked !== undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAsked({ account, month });
  };
  const columns = [
    'collectedAtCheckout',
    'dueAtImport',
    'paid',
    'refunded',
    'extinguished',
    'balance',
  ] as const;

  return (
    <>
      <h1>Monthly statements</h1>
      <form className="filters" onSubmit={submit}>
        <label>
          Account
          <input
            value={account}
            onChange={(event) => setAccount(event.target.value)}
            placeholder="platform id"
          />
        </label>
        <label>
          Month
          <input type="month" value={month} onChange={(event) => setMonth(event.target.value)} />
        </label>
        <button type="submit">Show statement</button>
      </form>
      {asked && <QueryState isPending={statement.isPending} error={statement.error} />}
      {statement.data && (
        <table className="list">
          <caption>
            Statement of {statement.data.account} for {statement.data.month}
          </caption>
          <thead>
            <tr>
              <th scope="col">Collection model</th>
              <th scope="col">Tax code</th>
              <th scope="col">Currency</th>
              {columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {statement.data.lines.map((line) => (
              <tr key={`${line.collectionModel}:${line.taxCode}:${line.currency}`}>
                <td>{line.collectionModel}</td>
                <td>{line.taxCode}</td>
                <td>{line.currency}</td>
                {columns.map((column) => (
                  <td className="amount" key={column}>
                    {money(line[column])}
                  </td>
                ))}
              </tr>
            ))}
            {statement.data.totals.map((total) => (
              <tr key={`total:${total.currency}`} className="total">
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td>{total.currency}</td>
                {columns.map((column) => (
                  <td className="amount" key={column}>
                    {money(total[column])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

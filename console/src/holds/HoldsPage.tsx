import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { currentSession } from '../auth/session';
import { LiftButton } from '../declaration/LiftButton';
import { dateTime, who } from '../ui/format';
import { Pager } from '../ui/Pager';
import { QueryState } from '../ui/ProblemView';

type State = 'STANDING' | 'LIFTED' | 'ALL';

/** The single window: the holds routed to an agency (an officer picks the agency). */
export function HoldsPage() {
  const session = currentSession();
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>('STANDING');
  const [agency, setAgency] = useState(session?.role === 'agency' ? session.subject : 'FOOD_SAFETY');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const isOfficer = session?.role === 'officer';

  const holds = useQuery({
    queryKey: ['holds', state, isOfficer ? agency : '', cursor],
    queryFn: () =>
      unwrap(
        api.GET('/v1/holds', {
          params: {
            query: { state, limit: 20, ...(isOfficer ? { agency } : {}), ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
    refetchInterval: 3_000,
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <h1>Single window: holds for {holds.data?.agency ?? agency}</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Holds
          <select
            value={state}
            onChange={(event) => {
              setState(event.target.value as State);
              setCursors([]);
            }}
          >
            <option value="STANDING">Standing</option>
            <option value="LIFTED">Lifted</option>
            <option value="ALL">All</option>
          </select>
        </label>
        {isOfficer && (
          <label>
            Agency
            <input
              value={agency}
              onChange={(event) => {
                setAgency(event.target.value);
                setCursors([]);
              }}
            />
          </label>
        )}
      </form>
      <QueryState isPending={holds.isPending} error={holds.error} />
      {holds.data && (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Declaration</th>
                <th scope="col">Platform</th>
                <th scope="col">Reason</th>
                <th scope="col">Placed</th>
                <th scope="col">Status</th>
                <th scope="col">Lift</th>
              </tr>
            </thead>
            <tbody>
              {holds.data.items.map((hold) => (
                <tr key={`${hold.declarationId}:${hold.holdId}`}>
                  <td>
                    <Link href={`/declarations/${encodeURIComponent(hold.declarationId)}`}>
                      {hold.reference}
                    </Link>
                  </td>
                  <td>{hold.platformId}</td>
                  <td>{hold.reason}</td>
                  <td>
                    {dateTime(hold.placedAt)} by {who(hold.placedBy, hold.placedByPerson)}
                  </td>
                  <td>
                    {hold.liftedAt ? `lifted by ${who(hold.liftedBy, hold.liftedByPerson)}` : hold.status}
                  </td>
                  <td>
                    {!hold.liftedAt && session?.role === 'agency' && (
                      <LiftButton
                        declarationId={hold.declarationId}
                        holdId={hold.holdId}
                        onLifted={() => void queryClient.invalidateQueries({ queryKey: ['holds'] })}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {holds.data.items.length === 0 && <p>No holds.</p>}
          <Pager cursors={cursors} setCursors={setCursors} next={holds.data.cursor} />
        </>
      )}
    </>
  );
}

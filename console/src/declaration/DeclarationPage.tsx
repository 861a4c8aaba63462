import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../api/client';
import { currentSession } from '../auth/session';
import { dateTime, money, who } from '../ui/format';
import { QueryState } from '../ui/ProblemView';
import { DecisionForm } from './DecisionForm';
import { HoldForm } from './HoldForm';
import { LiftButton } from './LiftButton';

type View = Schemas['DeclarationView'];
type Assessment = NonNullable<Schemas['Assessment']>;

export function DeclarationPage({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const role = currentSession()?.role;
  const declaration = useQuery({
    queryKey: ['declaration', id],
    queryFn: () => unwrap(api.GET('/v1/declarations/{id}', { params: { path: { id } } })),
    refetchInterval: 5_000,
  });
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: ['declaration', id] });
    void queryClient.invalidateQueries({ queryKey: ['queue'] });
    void queryClient.invalidateQueries({ queryKey: ['holds'] });
  };

  if (!declaration.data) {
    return (
      <>
        <h1>Declaration</h1>
        <QueryState isPending={declaration.isPending} error={declaration.error} />
      </>
    );
  }
  const view = declaration.data;
  const standing = view.holds.filter((hold) => !hold.liftedAt);
  const assessment = view.assessment as Assessment | null;
  return (
    <>
      <h1>
        Declaration {view.reference} <span className={`status status-${view.status}`}>{view.status}</span>
      </h1>
      <dl className="facts">
        <dt>Id</dt>
        <dd>{view.id}</dd>
        <dt>Platform</dt>
        <dd>{view.platformId}</dd>
        <dt>Lodged</dt>
        <dd>{dateTime(view.createdAt)}</dd>
        <dt>Seller</dt>
        <dd>
          {view.declaration.seller.name} ({view.declaration.seller.country})
        </dd>
        <dt>Consignee</dt>
        <dd>
          {view.declaration.consignee.name}, {view.declaration.consignee.address.city}
        </dd>
        <dt>Channel</dt>
        <dd>
          {view.declaration.channel}, {view.declaration.collectionModel}
        </dd>
      </dl>

      <Items view={view} />
      <Risk view={view} />
      {assessment && <AssessmentView assessment={assessment} />}

      <section aria-labelledby="holds-heading">
        <h2 id="holds-heading">Holds</h2>
        {view.holds.length === 0 ? (
          <p>No holds.</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col">For</th>
                <th scope="col">Placed</th>
                <th scope="col">Lifted</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {view.holds.map((hold) => (
                <tr key={`${hold.id}:${hold.placedAt}`}>
                  <td>{hold.reason}</td>
                  <td>{hold.agency ?? 'customs'}</td>
                  <td>
                    {dateTime(hold.placedAt)} by {who(hold.placedBy, hold.placedByPerson)}
                  </td>
                  <td>
                    {hold.liftedAt
                      ? `${dateTime(hold.liftedAt)} by ${who(hold.liftedBy, hold.liftedByPerson)}${hold.liftNote ? `: ${hold.liftNote}` : ''}`
                      : 'standing'}
                  </td>
                  <td>
                    {!hold.liftedAt && canLift(hold) && (
                      <LiftButton declarationId={view.id} holdId={hold.id} onLifted={changed} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {role === 'officer' && view.status === 'HELD' && view.risk && view.risk.lane !== 'GREEN' && (
        <DecisionForm view={view} onDecided={changed} />
      )}
      {(role === 'officer' || role === 'agency') && !isFinal(view.status) && (
        <HoldForm declarationId={view.id} onPlaced={changed} />
      )}
      {standing.length > 0 && <p className="hint">{standing.length} hold(s) standing.</p>}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ol className="history">
          {timeline(view).map((entry) => (
            <li key={entry.key}>
              <time dateTime={entry.at}>{dateTime(entry.at)}</time> {entry.what} by{' '}
              <strong>{entry.who}</strong>
              {entry.detail ? `: ${entry.detail}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

const isFinal = (status: string) => ['RELEASED', 'REJECTED', 'SEIZED', 'CANCELLED'].includes(status);

/** Who may lift is the API's rule; the button is only offered where it would be allowed. */
const canLift = (hold: { agency?: string }) => {
  const session = currentSession();
  if (!session) return false;
  return hold.agency === undefined
    ? session.role === 'officer'
    : session.role === 'agency' && session.subject === hold.agency;
};

function Items({ view }: { view: View }) {
  const { items, currency } = view.declaration;
  return (
    <section aria-labelledby="items-heading">
      <h2 id="items-heading">Items</h2>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col">HS code</th>
            <th scope="col">Origin</th>
            <th scope="col">Quantity</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: item lines are positional and never reordered
            <tr key={index}>
              <td>{item.description}</td>
              <td>{item.hsCode}</td>
              <td>{item.originCountry}</td>
              <td>{item.quantity}</td>
              <td className="amount">{money(item.value, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Risk({ view }: { view: View }) {
  if (!view.risk) return null;
  return (
    <section aria-labelledby="risk-heading">
      <h2 id="risk-heading">
        Risk: <span className={`lane lane-${view.risk.lane}`}>{view.risk.lane}</span>
        {view.risk.score === undefined ? '' : ` (score ${view.risk.score})`}
      </h2>
      {view.risk.hits.length === 0 ? (
        <p>No profile hit.</p>
      ) : (
        <ul className="hits">
          {view.risk.hits.map((hit) => (
            <li key={hit.profileId}>
              <code>{hit.profileId}</code>
              {hit.score === undefined ? '' : ` (score ${hit.score})`}: {hit.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AssessmentView({ assessment }: { assessment: Assessment }) {
  const { currency, totals } = assessment;
  return (
    <section aria-labelledby="assessment-heading">
      <h2 id="assessment-heading">Assessment</h2>
      <p>
        {assessment.declarationType}, customs value {money(assessment.customsValue, currency)}; rules{' '}
        {assessment.ruleSet.join(', ')}
      </p>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Charge</th>
            <th scope="col">Base</th>
            <th scope="col">Rate</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          {assessment.duties.map((duty) => (
            // A surcharge with a rate and an amount per item gives two lines of one code and HS code.
            <tr
              key={`duty:${duty.code}:${duty.hsCode ?? ''}:${duty.rate ?? 'per-item'}:${duty.base}:${duty.amount}`}
            >
              <td>
                {duty.code} <small>{duty.legalBasis}</small>
              </td>
              <td className="amount">{money(duty.base)}</td>
              <td>{duty.rate ?? ''}</td>
              <td className="amount">{money(duty.amount, currency)}</td>
            </tr>
          ))}
          {assessment.taxes.map((tax) => (
            <tr key={`tax:${tax.code}:${tax.rate}`}>
              <td>
                {tax.code}
                {tax.collectedAtCheckout ? ' (at checkout)' : ''}
              </td>
              <td className="amount">{money(tax.base)}</td>
              <td>{tax.rate}</td>
              <td className="amount">{money(tax.amount, currency)}</td>
            </tr>
          ))}
          {assessment.fees.map((fee) => (
            <tr key={`fee:${fee.code}`}>
              <td>
                {fee.code} <small>{fee.legalBasis}</small>
              </td>
              <td />
              <td />
              <td className="amount">{money(fee.amount, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Due at import: <strong>{money(totals.dueAtImport, currency)}</strong>; collected at checkout{' '}
        {money(totals.collectedAtCheckout, currency)}; payer {assessment.payer}
      </p>
    </section>
  );
}

interface TimelineEntry {
  key: string;
  at: string;
  what: string;
  who: string;
  detail?: string;
}

/**
 * Status changes and every hold placed or lifted, in time order, each naming who acted: a lift that
 * releases nothing changes no status but belongs in the declaration's history all the same.
 */
const timeline = (view: View): TimelineEntry[] => {
  const holdEvents = view.holds.flatMap((hold): TimelineEntry[] => {
    const forWhom = hold.agency ?? 'customs';
    return [
      {
        key: `hold:${hold.id}:${hold.placedAt}`,
        at: hold.placedAt,
        what: `hold for ${forWhom} placed`,
        who: who(hold.placedBy, hold.placedByPerson),
        detail: hold.reason,
      },
      ...(hold.liftedAt
        ? [
            {
              key: `lift:${hold.id}:${hold.liftedAt}`,
              at: hold.liftedAt,
              what: `hold for ${forWhom} lifted`,
              who: who(hold.liftedBy, hold.liftedByPerson),
              ...(hold.liftNote ? { detail: hold.liftNote } : {}),
            },
          ]
        : []),
    ];
  });
  const transitions = view.history.map(
    (entry, index): TimelineEntry => ({
      key: `status:${index}`,
      at: entry.at,
      what: `${entry.from ?? 'new'} → ${entry.to}`,
      who: who(entry.by, entry.person),
      detail: entry.reason,
    }),
  );
  // Stable: at the same instant a hold event comes before the status change it caused.
  return [...holdEvents, ...transitions].sort((a, b) => a.at.localeCompare(b.at));
};

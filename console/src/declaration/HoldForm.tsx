import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { currentSession } from '../auth/session';
import { ProblemView } from '../ui/ProblemView';

/** Places a hold: an officer for customs or routed to an agency; an agency for itself. */
export function HoldForm({ declarationId, onPlaced }: { declarationId: string; onPlaced: () => void }) {
  const isOfficer = currentSession()?.role === 'officer';
  const [reason, setReason] = useState('');
  const [agency, setAgency] = useState('');
  const place = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/declarations/{id}/holds', {
          params: { path: { id: declarationId } },
          body: { reason, ...(agency.trim() ? { agency: agency.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      setReason('');
      onPlaced();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    place.mutate();
  };
  return (
    <section aria-labelledby="hold-heading">
      <h2 id="hold-heading">{isOfficer ? 'Hold or route to an agency' : 'Place a hold'}</h2>
      <form onSubmit={submit} className="stacked">
        <label>
          Reason
          <input value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>
        {isOfficer && (
          <label>
            Agency (empty for a customs hold)
            <input
              value={agency}
              onChange={(event) => setAgency(event.target.value)}
              placeholder="e.g. FOOD_SAFETY"
            />
          </label>
        )}
        <button type="submit" disabled={place.isPending}>
          Place hold
        </button>
        {place.isSuccess && <p role="status">Hold placed.</p>}
        <ProblemView error={place.error} />
      </form>
    </section>
  );
}

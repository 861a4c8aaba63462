import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client';
import { ProblemView } from '../ui/ProblemView';

type Decision = Schemas['DecisionRequest']['decision'];
type Finding = Schemas['Finding'];

/** Closes the risk check: RELEASE, REJECT or SEIZE, with a finding per profile that hit. */
export function DecisionForm({
  view,
  onDecided,
}: {
  view: Schemas['DeclarationView'];
  onDecided: () => void;
}) {
  const hits = view.risk?.hits ?? [];
  const [decision, setDecision] = useState<Decision>('RELEASE');
  const [findings, setFindings] = useState<Record<string, Finding>>(
    Object.fromEntries(hits.map((hit) => [hit.profileId, { confirmed: false }])),
  );
  const decide = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/declarations/{id}/decisions', {
          params: { path: { id: view.id } },
          body: { decision, findings },
        }),
      ),
    onSuccess: onDecided,
  });
  const setFinding = (profileId: string, change: Partial<Finding>) =>
    setFindings((current) => {
      const { notes, ...rest } = { ...(current[profileId] ?? { confirmed: false }), ...change };
      return { ...current, [profileId]: notes ? { ...rest, notes } : rest };
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    decide.mutate();
  };

  return (
    <section aria-labelledby="decision-heading">
      <h2 id="decision-heading">Decide the check</h2>
      <form onSubmit={submit} className="stacked">
        {hits.map((hit) => (
          <fieldset key={hit.profileId}>
            <legend>
              Finding for <code>{hit.profileId}</code>
            </legend>
            <label className="inline">
              <input
                type="checkbox"
                checked={findings[hit.profileId]?.confirmed ?? false}
                onChange={(event) => setFinding(hit.profileId, { confirmed: event.target.checked })}
              />
              Risk confirmed
            </label>
            <label>
              Notes
              <input
                value={findings[hit.profileId]?.notes ?? ''}
                onChange={(event) => setFinding(hit.profileId, { notes: event.target.value })}
              />
            </label>
          </fieldset>
        ))}
        <fieldset>
          <legend>Decision</legend>
          {(['RELEASE', 'REJECT', 'SEIZE'] as const).map((value) => (
            <label className="inline" key={value}>
              <input
                type="radio"
                name="decision"
                value={value}
                checked={decision === value}
                onChange={() => setDecision(value)}
              />
              {value}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={decide.isPending}>
          Record decision
        </button>
        {decide.isSuccess && <p role="status">Decision recorded: {decide.data.declaration.status}</p>}
        <ProblemView error={decide.error} />
      </form>
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { ApiError, api, type Schemas, unwrap } from '../api/client';
import { today } from '../ui/format';
import { ProblemView, QueryState } from '../ui/ProblemView';

/** The later of two ISO dates (`YYYY-MM-DD` strings order as the days do). */
const laterDay = (a: string, b: string): string => (a.localeCompare(b) > 0 ? a : b);

type Profile = Schemas['RiskProfile'];

interface Draft {
  id: string;
  description: string;
  validFrom: string;
  validTo: string;
  when: string;
  score: string;
  lane: '' | 'AMBER' | 'RED';
  agency: string;
  reason: string;
}

const EMPTY: Draft = {
  id: '',
  description: '',
  validFrom: today(),
  validTo: '',
  when: '{\n  "item": { "hsChapter": ["95"] }\n}',
  score: '30',
  lane: 'AMBER',
  agency: '',
  reason: '',
};

const toDraft = (profile: Profile): Draft => ({
  id: profile.id,
  description: profile.description,
  validFrom: laterDay(today(), profile.validFrom),
  validTo: profile.validTo ?? '',
  when: JSON.stringify(profile.when, null, 2),
  score: String(profile.score),
  lane: profile.lane ?? '',
  agency: profile.agency ?? '',
  reason: profile.reason ?? '',
});

/** The body as typed: the pattern is sent as written, so the API (not the browser) judges it. */
const toBody = (draft: Draft): { body?: unknown; syntax?: string } => {
  let when: unknown;
  try {
    when = JSON.parse(draft.when);
  } catch (error) {
    return { syntax: error instanceof Error ? error.message : 'not JSON' };
  }
  return {
    body: {
      id: draft.id,
      description: draft.description,
      validFrom: draft.validFrom,
      ...(draft.validTo ? { validTo: draft.validTo } : {}),
      when,
      score: Number(draft.score),
      ...(draft.lane ? { lane: draft.lane } : {}),
      ...(draft.agency ? { agency: draft.agency } : {}),
      ...(draft.reason ? { reason: draft.reason } : {}),
    },
  };
};

/** Checks the draft with the API's own validation shortly after the admin stops typing. */
const useValidation = (draft: Draft) => {
  const [debounced, setDebounced] = useState(draft);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(draft), 400);
    return () => clearTimeout(timer);
  }, [draft]);
  const { body, syntax } = toBody(debounced);
  const check = useQuery({
    queryKey: ['profile-validation', body],
    queryFn: () =>
      unwrap(
        api.POST('/v1/admin/risk-profiles/{id}/validation', {
          params: { path: { id: debounced.id } },
          body: body as Profile,
        }),
      ),
    enabled: body !== undefined && debounced.id.length > 0,
    retry: false,
  });
  return { syntax, check };
};

export function ProfileEditPage({ id }: { id: string }) {
  const isNew = id === 'new';
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const existing = useQuery({
    queryKey: ['profile', id],
    queryFn: () => unwrap(api.GET('/v1/admin/risk-profiles/{id}', { params: { path: { id } } })),
    enabled: !isNew,
  });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const inForce = existing.data?.inForce;
  useEffect(() => {
    if (inForce) setDraft(toDraft(inForce));
  }, [inForce]);
  const { syntax, check } = useValidation(draft);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/admin/risk-profiles/{id}', {
          params: { path: { id: draft.id } },
          body: toBody(draft).body as Profile,
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['profiles'] });
      navigate('/profiles');
    },
  });
  const set = (field: keyof Draft) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  if (!isNew && !existing.data) {
    return (
      <>
        <h1>Risk profile {id}</h1>
        <QueryState isPending={existing.isPending} error={existing.error} />
      </>
    );
  }
  return (
    <>
      <h1>{isNew ? 'New risk profile' : `Risk profile ${id}`}</h1>
      {existing.data && (
        <p>
          {existing.data.stats.hits} hits, {existing.data.stats.checks} checks,{' '}
          {existing.data.stats.confirmed} confirmed.
        </p>
      )}
      <form onSubmit={submit} className="stacked">
        <label>
          Id
          <input value={draft.id} onChange={set('id')} readOnly={!isNew} required />
        </label>
        <label>
          Description
          <input value={draft.description} onChange={set('description')} />
        </label>
        <label>
          Valid from
          <input type="date" value={draft.validFrom} onChange={set('validFrom')} />
        </label>
        <label>
          Valid to (optional)
          <input type="date" value={draft.validTo} onChange={set('validTo')} />
        </label>
        <label>
          Pattern (when)
          <textarea rows={8} value={draft.when} onChange={set('when')} spellCheck={false} />
        </label>
        <label>
          Score
          <input type="number" value={draft.score} onChange={set('score')} />
        </label>
        <label>
          Lane
          <select value={draft.lane} onChange={set('lane')}>
            <option value="">none</option>
            <option value="AMBER">AMBER</option>
            <option value="RED">RED</option>
          </select>
        </label>
        <label>
          Agency (optional)
          <input value={draft.agency} onChange={set('agency')} />
        </label>
        <label>
          Reason shown on a hit
          <input value={draft.reason} onChange={set('reason')} />
        </label>
        <output aria-live="polite" className="validation">
          {syntax && <span className="invalid">The pattern is not JSON: {syntax}</span>}
          {!syntax && check.isSuccess && <span className="valid">The API accepts this profile.</span>}
          {!syntax && check.error instanceof ApiError && <ProblemView error={check.error} />}
        </output>
        <button type="submit" disabled={save.isPending}>
          Save profile
        </button>
        <ProblemView error={save.error} />
      </form>
    </>
  );
}

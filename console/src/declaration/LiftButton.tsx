import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, unwrap } from '../api/client';
import { ProblemView } from '../ui/ProblemView';

/** Lifts one hold, with an optional note of what the check found. */
export function LiftButton(props: { declarationId: string; holdId: string; onLifted: () => void }) {
  const [note, setNote] = useState('');
  const id = useId();
  const lift = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/declarations/{id}/holds/{holdId}/lift', {
          params: { path: { id: props.declarationId, holdId: props.holdId } },
          body: note.trim() ? { note: note.trim() } : {},
        }),
      ),
    onSuccess: props.onLifted,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    lift.mutate();
  };
  return (
    <form onSubmit={submit} className="lift">
      <label htmlFor={id}>Note</label>
      <input id={id} value={note} onChange={(event) => setNote(event.target.value)} />
      <button type="submit" disabled={lift.isPending}>
        Lift hold
      </button>
      <ProblemView error={lift.error} />
    </form>
  );
}

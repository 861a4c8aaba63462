import { ApiError } from '../api/client';

/** An API failure in words: the problem's title and detail, and each field error with its path. */
export function ProblemView({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError) {
    const { problem } = error;
    return (
      <div role="alert" className="problem">
        <strong>{problem.title}</strong>
        <p>{problem.detail}</p>
        {problem.errors && problem.errors.length > 0 && (
          <ul>
            {problem.errors.map((fieldError) => (
              <li key={`${fieldError.path}:${fieldError.message}`}>
                <code>{fieldError.path || '(body)'}</code> {fieldError.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div role="alert" className="problem">
      <strong>Something went wrong</strong>
      <p>{error instanceof Error ? error.message : String(error)}</p>
    </div>
  );
}

/** What a query shows while loading or after failing; undefined once it has data. */
export function QueryState({ isPending, error }: { isPending: boolean; error: unknown }) {
  if (error) return <ProblemView error={error} />;
  if (isPending) return <p aria-live="polite">Loading…</p>;
  return null;
}

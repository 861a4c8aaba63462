import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { ProblemView, QueryState } from '../ui/ProblemView';

type Kind = 'tariff' | 'fx' | 'registrations' | 'traders';
interface ReferenceKind {
  label: string;
  example: string;
  get: (key: string) => Promise<unknown>;
  put: (key: string, body: unknown) => Promise<unknown>;
}

// Each kind of reference data with its typed calls; the API validates every body.
const KINDS: Record<Kind, ReferenceKind> = {
  tariff: {
    label: 'Tariff rates (HS code)',
    example: '{\n  "dutyRate": "0.05",\n  "validFrom": "2026-01-01"\n}',
    get: (key: string) =>
      unwrap(api.GET('/v1/admin/tariff-rates/{hsCode}', { params: { path: { hsCode: key } } })),
    put: (key: string, body: unknown) =>
      unwrap(
        api.PUT('/v1/admin/tariff-rates/{hsCode}', {
          params: { path: { hsCode: key } },
          body: body as never,
        }),
      ),
  },
  fx: {
    label: 'Exchange rates (currency)',
    example: '{\n  "rate": "0.92",\n  "validFrom": "2026-01-01"\n}',
    get: (key: string) =>
      unwrap(api.GET('/v1/admin/exchange-rates/{currency}', { params: { path: { currency: key } } })),
    put: (key: string, body: unknown) =>
      unwrap(
        api.PUT('/v1/admin/exchange-rates/{currency}', {
          params: { path: { currency: key } },
          body: body as never,
        }),
      ),
  },
  registrations: {
    label: 'Tax registrations (number)',
    example:
      '{\n  "scheme": "IOSS",\n  "holder": "Shop Ltd",\n  "holderId": "GB123456789",\n  "validFrom": "2026-01-01"\n}',
    get: (key: string) =>
      unwrap(api.GET('/v1/admin/tax-registrations/{number}', { params: { path: { number: key } } })),
    put: (key: string, body: unknown) =>
      unwrap(
        api.PUT('/v1/admin/tax-registrations/{number}', {
          params: { path: { number: key } },
          body: body as never,
        }),
      ),
  },
  traders: {
    label: 'Trusted traders (id)',
    example:
      '{\n  "kind": "SELLER",\n  "name": "Shop Ltd",\n  "authorisedFilers": ["acme"],\n  "validFrom": "2026-01-01"\n}',
    get: (key: string) =>
      unwrap(api.GET('/v1/admin/trusted-traders/{id}', { params: { path: { id: key } } })),
    put: (key: string, body: unknown) =>
      unwrap(
        api.PUT('/v1/admin/trusted-traders/{id}', { params: { path: { id: key } }, body: body as never }),
      ),
  },
};

export function ReferencePage() {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('tariff');
  const [key, setKey] = useState('');
  const [asked, setAsked] = useState<{ kind: Kind; key: string }>();
  const [body, setBody] = useState<string>(KINDS.tariff.example);
  const [syntax, setSyntax] = useState<string>();

  const record = useQuery({
    queryKey: ['reference', asked],
    queryFn: () => (asked ? KINDS[asked.kind].get(asked.key) : Promise.reject(new Error('nothing asked'))),
    enabled: asked !== undefined,
    retry: false,
  });
  const save = useMutation({
    mutationFn: (parsed: unknown) => KINDS[kind].put(key, parsed),
    onSuccess: () => {
      setAsked({ kind, key });
      void queryClient.invalidateQueries({ queryKey: ['reference'] });
    },
  });
  const lookUp = (event: FormEvent) => {
    event.preventDefault();
    setAsked({ kind, key });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      const parsed: unknown = JSON.parse(body);
      setSyntax(undefined);
      save.mutate(parsed);
    } catch (error) {
      setSyntax(error instanceof Error ? error.message : 'not JSON');
    }
  };

  return (
    <>
      <h1>Reference data</h1>
      <form className="filters" onSubmit={lookUp}>
        <label>
          Kind
          <select
            value={kind}
            onChange={(event) => {
              const next = event.target.value as Kind;
              setKind(next);
              setBody(KINDS[next].example);
            }}
          >
            {(Object.keys(KINDS) as Kind[]).map((value) => (
              <option key={value} value={value}>
                {KINDS[value].label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Key
          <input value={key} onChange={(event) => setKey(event.target.value)} required />
        </label>
        <button type="submit">Look up</button>
      </form>
      {asked && <QueryState isPending={record.isPending} error={record.error} />}
      {record.data && (
        <section aria-labelledby="versions-heading">
          <h2 id="versions-heading">Stored versions</h2>
          <pre className="json">{JSON.stringify(record.data, null, 2)}</pre>
        </section>
      )}
      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">Add a version</h2>
        <form onSubmit={submit} className="stacked">
          <label>
            Version (JSON)
            <textarea
              rows={8}
              value={body}
              onChange={(event) => setBody(event.target.value)}
              spellCheck={false}
            />
          </label>
          <button type="submit" disabled={save.isPending || key.length === 0}>
            Save version
          </button>
          {syntax && (
            <p role="alert" className="problem">
              Not JSON: {syntax}
            </p>
          )}
          {save.isSuccess && <p role="status">Saved.</p>}
          <ProblemView error={save.error} />
        </form>
      </section>
    </>
  );
}

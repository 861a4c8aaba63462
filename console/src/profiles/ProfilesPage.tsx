import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { QueryState } from '../ui/ProblemView';

const percent = (rate: number | null) => (rate === null ? 'no checks yet' : `${(rate * 100).toFixed(0)} %`);

export function ProfilesPage() {
  const profiles = useQuery({
    queryKey: ['profiles'],
    queryFn: () => unwrap(api.GET('/v1/admin/risk-profiles')),
  });
  return (
    <>
      <h1>Risk profiles</h1>
      <p>
        <Link href="/profiles/new" className="button">
          New profile
        </Link>
      </p>
      <QueryState isPending={profiles.isPending} error={profiles.error} />
      {profiles.data && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Profile</th>
              <th scope="col">Description</th>
              <th scope="col">Lane</th>
              <th scope="col">Score</th>
              <th scope="col">Hits</th>
              <th scope="col">Checks</th>
              <th scope="col">Confirmed</th>
              <th scope="col">Confirmation rate</th>
            </tr>
          </thead>
          <tbody>
            {profiles.data.items.map((profile) => (
              <tr key={profile.id}>
                <td>
                  <Link href={`/profiles/${encodeURIComponent(profile.id)}`}>{profile.id}</Link>
                  {profile.builtin ? ' (built in)' : ''}
                </td>
                <td>{profile.inForce?.description ?? 'not in force'}</td>
                <td>{profile.inForce?.lane ?? ''}</td>
                <td>{profile.inForce?.score ?? ''}</td>
                <td>{profile.stats.hits}</td>
                <td>{profile.stats.checks}</td>
                <td>{profile.stats.confirmed}</td>
                <td>{percent(profile.stats.hitRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

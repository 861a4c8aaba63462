// POSTing a webhook delivery with node:http(s), connecting only to an address the check allowed: the
// host name is resolved by our own lookup, which refuses internal addresses, and the socket connects to
// the address that lookup returned, so a DNS answer cannot change between the check and the connection.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressProblem } from '../domain/webhooks/addresses.js';
import type { PostWebhook } from '../use-cases/deliver-event.js';

export class ForbiddenAddressError extends Error {
  override name = 'ForbiddenAddressError';
}

type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** A `lookup` for sockets that yields only allowed addresses, and fails when the name has any other. */
export const checkedLookup =
  (allowLoopback: boolean, resolve: Resolve = systemResolve): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname)
      .then((addresses) => {
        // Every answer must be allowed: a name that mixes public and internal addresses is refused whole.
        const problem = addresses.map((entry) => addressProblem(entry.address, allowLoopback)).find(Boolean);
        if (problem) throw new ForbiddenAddressError(`${hostname} ${problem}`);
        const usable = addresses.filter((entry) => !options.family || entry.family === options.family);
        const [first] = usable;
        if (!first) throw new ForbiddenAddressError(`${hostname} has no address`);
        if ((options as { all?: boolean }).all)
          (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, usable);
        else callback(null, first.address, first.family);
      })
      .catch((error: Error) => callback(error as NodeJS.ErrnoException, '', 0));
  };

export const webhookTransport =
  (options: { allowLoopback: boolean; resolve?: Resolve }): PostWebhook =>
  ({ url, headers, body, timeoutMs }) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          lookup: checkedLookup(options.allowLoopback, options.resolve),
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          // Drain the body: its content is not used. Redirects are not followed.
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });

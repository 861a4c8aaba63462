// A post's ITMATT message of 1000 items accepted through the local runtime (target: under 2 s), after
// one small message has loaded the function, its XML schema and the WebAssembly XML library.
import { randomInt } from 'node:crypto';
import { aPostalItem, itmattMessage, s10Id } from '../test/fixtures/postal.js';

const fileItmatt = async (url: string, xml: string) => {
  const started = Date.now();
  const response = await fetch(`${url}/v1/postal/itmatt`, {
    method: 'POST',
    headers: { authorization: 'Bearer local:post:bench-post', 'content-type': 'application/xml' },
    body: xml,
  });
  const body = (await response.json()) as { results?: { status: number }[] };
  return {
    status: response.status,
    accepted: body.results?.filter((result) => result.status === 202).length ?? 0,
    elapsedMs: Date.now() - started,
  };
};

export const itmattAcceptance = async (url: string, size = 1000) => {
  // Serial numbers of this run: S10 ids no earlier run used.
  const first = randomInt(0, 99_000_000);
  await fileItmatt(url, itmattMessage([aPostalItem({ itemId: s10Id(first) })]));
  const items = Array.from({ length: size }, (_, index) => aPostalItem({ itemId: s10Id(first + 1 + index) }));
  const xml = itmattMessage(items);
  return { size, bytes: Buffer.byteLength(xml), ...(await fileItmatt(url, xml)) };
};

import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonRequest } from './jsonRequest';

describe('jsonRequest', () => {
  let server: http.Server;
  let url: string;
  let seen: string[];

  beforeEach(async () => {
    seen = [];
    // Resets the connection of every first attempt: what a kept-alive socket closed under a request looks like.
    server = http.createServer((req, res) => {
      seen.push(req.method!);
      if (seen.filter((m) => m === req.method).length === 1) {
        req.socket.destroy();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('retries a GET once when the connection is reset under it', async () => {
    const res = await jsonRequest('GET', url);
    expect(res).to.deep.equal({ status: 200, body: { ok: true } });
    expect(seen).to.deep.equal(['GET', 'GET']);
  });

  it('never repeats a POST: the reset reaches the caller', async () => {
    let failed: unknown = null;
    await jsonRequest('POST', url, { a: 1 }).catch((err: unknown) => (failed = err));
    expect(failed).to.be.instanceOf(Error);
    expect(seen).to.deep.equal(['POST']);
  });
});

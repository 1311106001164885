// This project's Homeless Mobile IPv6 host. Here it is hmip6's reference host behind a wrapper,
// standing for the host a real project would have written; whatever it is, it offers the
// `Host` interface (docs/adapter-protocol.md names what each call answers) and is built fresh
// for every run from the run's addresses, parameters and random source.

import { createReferenceHost, type Host, type HostOptions } from 'hmip6';

export function createMyHost(options: HostOptions): Host {
  const inner = createReferenceHost(options);
  return {
    addSA: (sa, nowMs) => inner.addSA(sa, nowMs),
    receive: (bytes, nowMs) => inner.receive(bytes, nowMs),
    tick: (nowMs) => inner.tick(nowMs),
    send: (request, nowMs) => inner.send(request, nowMs),
    addLocalAddress: (address, nowMs) => inner.addLocalAddress(address, nowMs),
    removeLocalAddress: (address, nowMs) => inner.removeLocalAddress(address, nowMs),
    snapshot: () => inner.snapshot(),
  };
}
